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
    from portal.models import User

    user = User.objects.create_user("login1", password="x", last_name=last, first_name=first, middle_name=middle)
    client.force_login(user)
    html = client.get(reverse("portal:home")).content.decode()
    assert f"Здравствуйте, {greeting}!</h1>" in html
