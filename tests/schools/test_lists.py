"""The directory and the registry as lists: pages, filters, sorting, invalid values, scoped choices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

HUGE = "9" * 30


def _schools(municipality, count: int) -> list:
    schools = [f.SchoolFactory(municipality=municipality, name=f"Школа {i:02d}") for i in range(count)]
    for school in schools:
        f.RegistryEntryFactory(school=school, academic_year=2020)
    return schools


@pytest.mark.parametrize("name", ["schools:school-list", "schools:registry-list"])
def test_second_page_and_out_of_range_gives_the_last_page(client, methodist, municipality, name):
    _schools(municipality, 30)
    client.force_login(methodist)
    url = reverse(name)
    second = client.get(url, {"page": 2, "year": 2020})
    assert len(second.context["page"].object_list) == 5
    assert "Показано 26–30 из 30" in second.content.decode()
    beyond = client.get(url, {"page": 99, "year": 2020})
    assert beyond.status_code == 200
    assert beyond.context["page"].number == 2


@pytest.mark.parametrize("name", ["schools:school-list", "schools:registry-list"])
@pytest.mark.parametrize("params", [{"municipality": HUGE}, {"year": "два"}, {"category": "x"}, {"sort": "password"}])
def test_invalid_filter_shows_the_unfiltered_list_with_a_message(client, methodist, municipality, name, params):
    _schools(municipality, 3)
    client.force_login(methodist)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "Фильтр не применён" in response.content.decode()


def test_registry_filters_and_sorts(client, methodist, municipality):
    schools = _schools(municipality, 3)
    schools[1].registry_entries.update(category="shfnsu")
    client.force_login(methodist)
    url = reverse("schools:registry-list")
    response = client.get(url, {"year": 2020, "category": "shfnsu"})
    assert [e.school_id for e in response.context["page"].object_list] == [schools[1].pk]
    names = [e.school.name for e in client.get(url, {"year": 2020, "sort": "-school"}).context["page"].object_list]
    assert names == ["Школа 02", "Школа 01", "Школа 00"]


def test_sort_links_keep_the_filters_and_drop_the_page(client, methodist, municipality):
    _schools(municipality, 3)
    client.force_login(methodist)
    html = client.get(reverse("schools:registry-list"), {"year": 2020, "category": "shnor", "page": 1}).content.decode()
    assert 'href="?year=2020&amp;category=shnor&amp;sort=school"' in html


@pytest.mark.parametrize("name", ["schools:school-list", "schools:registry-list"])
def test_municipality_choices_are_the_users_own(client, methodist, school, municipality, other_school, name):
    client.force_login(methodist)
    choices = set(client.get(reverse(name)).context["form"].fields["municipality"].queryset)
    assert choices == {municipality}
    response = client.get(reverse(name), {"municipality": other_school.municipality_id})
    assert "Фильтр не применён" in response.content.decode()
