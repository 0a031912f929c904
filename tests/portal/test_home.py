from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_is_russian(client):
    response = client.get(reverse("portal:login"))
    assert response.status_code == 200
    assert "Вход в портал" in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_director_reaches_home(client, director):
    client.force_login(director)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Директор ОО" in response.content.decode()


def test_home_refuses_post(client, director):
    client.force_login(director)
    assert client.post(reverse("portal:home")).status_code == 405


def test_health_reports_database(client, db):
    response = client.get(reverse("portal:health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_only_the_most_specific_nav_item_is_active(client, methodist):
    client.force_login(methodist)
    response = client.get(reverse("schools:registry-list"))
    active = [item["label"] for item in response.context["nav_items"] if item["active"]]
    assert [str(label) for label in active] == ["Реестр"]


@pytest.mark.parametrize(
    ("last", "first", "middle", "greeting"),
    [
        ("Ананьева", "Юлия", "Валерьевна", "Юлия Валерьевна"),
        ("Викульева", "О.", "Г.", "О.Г. Викульева"),  # initials alone («О. Г.») read as a typo
        ("Администратор портала", "", "", "Администратор портала"),
        ("", "", "", "login1"),
    ],
)
def test_home_greets_by_name_and_patronymic_or_initials_with_surname(client, db, last, first, middle, greeting):
    from core.models import User

    user = User.objects.create_user("login1", password="x", last_name=last, first_name=first, middle_name=middle)
    client.force_login(user)
    html = client.get(reverse("portal:home")).content.decode()
    assert f"Здравствуйте, {greeting}!</h1>" in html


def test_long_navigation_folds_monitoring_and_administration_into_dropdowns(client, coordinator, director):
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:visit-list"))
    menu = response.context["nav_menu"]
    groups = {str(entry["label"]): entry for entry in menu if "children" in entry}
    assert set(groups) == {"Мониторинг", "Администрирование"}
    assert [str(c["label"]) for c in groups["Мониторинг"]["children"]] == [
        "Мониторинги показателей",
        "Посещения",
        "Результаты",
        "Охват",
    ]
    # The open page lights its dropdown and its item; every item is still reachable.
    assert groups["Мониторинг"]["active"] and not groups["Администрирование"]["active"]
    assert [str(c["label"]) for c in groups["Мониторинг"]["children"] if c["active"]] == ["Посещения"]
    flat = [entry for entry in menu if "children" not in entry]
    reachable = len(flat) + sum(len(g["children"]) for g in groups.values())
    assert reachable == len(response.context["nav_items"])
    html = response.content.decode()
    assert 'class="nav-link dropdown-toggle active"' in html
    assert f'<a class="dropdown-item active" href="{reverse("monitoring:visit-list")}" aria-current="page">' in html

    client.force_login(director)  # a short bar stays flat
    menu = client.get(reverse("portal:home")).context["nav_menu"]
    assert all("children" not in entry for entry in menu)
