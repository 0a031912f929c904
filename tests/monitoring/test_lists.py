"""The monitoring lists (visits, results, campaigns, indicators): pages, filters, sorting, invalid
values and filter choices scoped to the user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Campaign, Indicator
from tests import factories as f

HUGE = "9" * 30


def _visits(municipality, count: int) -> list:
    school = f.SchoolFactory(municipality=municipality, name="Школа А")
    return [
        f.MethodicalVisitFactory(school=school, date=dt.date(2021, 1, 1) + dt.timedelta(days=i)) for i in range(count)
    ]


def _results(municipality, count: int) -> list:
    school = f.SchoolFactory(municipality=municipality, name="Школа А")
    return [f.AssessmentResultFactory(school=school, year=2000 + i, average=str(2 + i % 3)) for i in range(count)]


def _campaigns(municipality, methodist, count: int) -> list:
    school = f.SchoolFactory(municipality=municipality)
    today = timezone.localdate()
    campaigns = []
    for i in range(count):
        campaign = Campaign.objects.create(
            name=f"Мониторинг {i:02d}",
            region=municipality.region,
            municipality=municipality,
            period_from=dt.date(2020, 9, 1),
            period_to=dt.date(2021, 6, 30),
            deadline=today + dt.timedelta(days=i - 5),
            created_by=methodist,
        )
        campaign.indicators.set([f.indicator("contest_participants")])
        campaign.schools.set([school])
        campaigns.append(campaign)
    return campaigns


def _rows(kind, municipality, methodist, count):
    if kind == "visit":
        return _visits(municipality, count)
    if kind == "result":
        return _results(municipality, count)
    return _campaigns(municipality, methodist, count)


LISTS = [
    ("visit", "monitoring:visit-list"),
    ("result", "monitoring:result-list"),
    ("campaign", "monitoring:campaign-list"),
]


@pytest.mark.parametrize(("kind", "name"), LISTS)
def test_pages_with_flat_query_counts(client, methodist, municipality, kind, name, django_assert_max_num_queries):
    _rows(kind, municipality, methodist, 30)
    client.force_login(methodist)
    with django_assert_max_num_queries(14):
        second = client.get(reverse(name), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "Показано 26–30 из 30" in second.content.decode()
    assert client.get(reverse(name), {"page": 7}).context["page"].number == 2


@pytest.mark.parametrize(
    ("kind", "name", "params"),
    [
        ("visit", "monitoring:visit-list", {"school": HUGE}),
        ("visit", "monitoring:visit-list", {"date_from": "31.02.2021"}),
        ("visit", "monitoring:visit-list", {"sort": "purpose"}),
        ("result", "monitoring:result-list", {"year": "две тысячи"}),
        ("result", "monitoring:result-list", {"procedure": "olymp"}),
        ("result", "monitoring:result-list", {"municipality": HUGE}),
        ("campaign", "monitoring:campaign-list", {"state": "maybe"}),
    ],
)
def test_invalid_filter_shows_the_unfiltered_list_with_a_message(client, methodist, municipality, kind, name, params):
    _rows(kind, municipality, methodist, 3)
    client.force_login(methodist)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "Фильтр не применён" in response.content.decode()


def test_visit_dates_are_typed_as_russian_dates(client, methodist, municipality):
    visits = _visits(municipality, 5)
    client.force_login(methodist)
    response = client.get(reverse("monitoring:visit-list"), {"date_from": "02.01.2021", "date_to": "03.01.2021"})
    assert [v.pk for v in response.context["page"].object_list] == [visits[2].pk, visits[1].pk]
    html = client.get(reverse("monitoring:visit-list"), {"date_from": "31.02.2021"}).content.decode()
    assert "существующую дату в формате ДД.ММ.ГГГГ" in html
    assert 'aria-describedby="id_date_from_error"' in html and 'id="id_date_from_error"' in html


def test_results_filter_by_year_and_sort_by_average(client, methodist, municipality):
    results = _results(municipality, 6)
    client.force_login(methodist)
    url = reverse("monitoring:result-list")
    assert [r.pk for r in client.get(url, {"year": 2003}).context["page"].object_list] == [results[3].pk]
    averages = [r.average for r in client.get(url, {"sort": "-average"}).context["page"].object_list]
    assert averages == sorted(averages, reverse=True)
    assert 'href="?procedure=vpr&amp;sort=year"' in client.get(url, {"procedure": "vpr"}).content.decode()


def test_campaigns_filter_by_state_and_sort_by_name(client, methodist, municipality):
    campaigns = _campaigns(municipality, methodist, 6)  # deadlines from 5 days ago to today
    client.force_login(methodist)
    url = reverse("monitoring:campaign-list")
    closed = [row["campaign"].pk for row in client.get(url, {"state": "closed"}).context["rows"]]
    assert sorted(closed) == [c.pk for c in campaigns[:5]]
    names = [row["campaign"].name for row in client.get(url, {"sort": "-name"}).context["rows"]]
    assert names == sorted(names, reverse=True)


def test_indicator_catalogue_filters_sorts_and_pages(client, director):
    client.force_login(director)
    url = reverse("monitoring:indicator-list")
    ratios = client.get(url, {"kind": "ratio"}).context["page"].object_list
    assert ratios and all(i.kind == "ratio" for i in ratios)
    names = [i.name for i in client.get(url, {"sort": "name"}).context["page"].object_list]
    assert names == sorted(names)
    assert "Фильтр не применён" in client.get(url, {"kind": "nothing"}).content.decode()
    total = Indicator.objects.count()
    assert client.get(url, {"page": 99}).context["page"].end_index() == total


@pytest.mark.parametrize("name", ["monitoring:visit-list", "monitoring:result-list"])
def test_school_and_municipality_choices_are_the_users_own(client, methodist, school, other_school, name):
    client.force_login(methodist)
    form = client.get(reverse(name)).context["form"]
    assert set(form.fields["school"].queryset) == {school}
    assert set(form.fields["municipality"].queryset) == {school.municipality}
    response = client.get(reverse(name), {"school": other_school.pk})
    assert "Фильтр не применён" in response.content.decode()
