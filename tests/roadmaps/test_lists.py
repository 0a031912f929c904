"""The roadmap and report lists: no row cap, pages, filters, sorting, invalid values, scoped choices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

HUGE = "9" * 30
LISTS = ["roadmaps:roadmap-list", "roadmaps:report-list"]


def _reports(municipality, count: int, *, year: int = 2021, quarter: int = 1) -> list:
    """`count` schools, each with a roadmap of 2020/21 and a report of the quarter."""
    reports = []
    for i in range(count):
        school = f.SchoolFactory(municipality=municipality, name=f"Школа {i:03d}")
        roadmap = f.RoadmapFactory(school=school, academic_year=2020)
        reports.append(f.QuarterlyReportFactory(roadmap=roadmap, year=year, quarter=quarter))
    return reports


@pytest.mark.parametrize("name", LISTS)
def test_more_than_500_rows_are_all_reachable(client, methodist, municipality, name, django_assert_max_num_queries):
    _reports(municipality, 510)
    client.force_login(methodist)
    with django_assert_max_num_queries(14):
        last = client.get(reverse(name), {"page": 21})
    assert last.context["page"].paginator.count == 510
    assert len(last.context["page"].object_list) == 10
    assert "Показано 501–510 из 510" in last.content.decode()
    assert client.get(reverse(name), {"page": 999}).context["page"].number == 21


@pytest.mark.parametrize(
    ("name", "params"),
    [
        *[(name, params) for name in LISTS for params in ({"municipality": HUGE}, {"status": "gone"}, {"sort": "x"})],
        ("roadmaps:roadmap-list", {"year": "абв"}),
        ("roadmaps:report-list", {"period": "2021-Q9"}),
        ("roadmaps:report-list", {"period": "2021-Q1", "municipality": "1.5"}),
    ],
)
def test_invalid_filter_shows_the_unfiltered_list_with_a_message(client, methodist, municipality, name, params):
    _reports(municipality, 3)
    client.force_login(methodist)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "Фильтр не применён" in response.content.decode()


def test_report_list_filters_by_period_status_and_school(client, methodist, municipality):
    first = _reports(municipality, 2)
    second = _reports(municipality, 1, quarter=2)
    first[1].status = "submitted"
    first[1].save(update_fields=["status"])
    client.force_login(methodist)
    url = reverse("roadmaps:report-list")

    def pks(**params):
        return [r.pk for r in client.get(url, params).context["page"].object_list]

    assert pks(period="2021-Q2") == [second[0].pk]
    assert pks(status="submitted") == [first[1].pk]
    assert pks(q="школа 001") == [first[1].pk]


def test_report_list_sorts_newest_quarter_first_and_by_column(client, methodist, municipality):
    older = _reports(municipality, 1)
    newer = _reports(municipality, 1, quarter=2)
    client.force_login(methodist)
    url = reverse("roadmaps:report-list")
    assert [r.pk for r in client.get(url).context["page"].object_list] == [newer[0].pk, older[0].pk]
    assert [r.pk for r in client.get(url, {"sort": "school"}).context["page"].object_list] == [
        older[0].pk,
        newer[0].pk,
    ]
    html = client.get(url, {"status": "draft"}).content.decode()
    assert 'href="?status=draft&amp;sort=school"' in html


def test_roadmap_list_filters_by_year_and_sorts_by_activities(client, methodist, municipality):
    reports = _reports(municipality, 2)
    busy = reports[0].roadmap
    f.ActivityFactory(roadmap=busy)
    f.ActivityFactory(roadmap=busy)
    old = f.RoadmapFactory(school=reports[1].roadmap.school, academic_year=2019)
    client.force_login(methodist)
    url = reverse("roadmaps:roadmap-list")
    assert [r.pk for r in client.get(url, {"year": 2019}).context["page"].object_list] == [old.pk]
    ordered = [r.pk for r in client.get(url, {"sort": "-activities", "year": 2020}).context["page"].object_list]
    assert ordered[0] == busy.pk


@pytest.mark.parametrize("name", LISTS)
def test_municipality_choices_are_the_users_own(client, methodist, municipality, other_school, name):
    _reports(municipality, 1)
    f.RoadmapFactory(school=other_school)
    client.force_login(methodist)
    response = client.get(reverse(name))
    assert set(response.context["form"].fields["municipality"].queryset) == {municipality}
    response = client.get(reverse(name), {"municipality": other_school.municipality_id})
    assert "Фильтр не применён" in response.content.decode()


def test_status_board_pages_its_schools_and_counts_them_all(client, coordinator, region, quarter):
    from core.calendar import quarter_academic_year

    year, q = quarter
    municipality = f.MunicipalityFactory(region=region)
    for i in range(30):
        school = f.SchoolFactory(municipality=municipality, name=f"Школа {i:02d}")
        f.RegistryEntryFactory(school=school, academic_year=quarter_academic_year(year, q))
        f.RoadmapFactory(school=school, academic_year=quarter_academic_year(year, q))
    client.force_login(coordinator)
    url = reverse("roadmaps:status-board")
    first = client.get(url, {"period": f"{year}-Q{q}"})
    assert first.context["total"] == 30
    assert len(first.context["statuses"]) == 25
    second = client.get(url, {"period": f"{year}-Q{q}", "page": 9})
    assert len(second.context["statuses"]) == 5
    assert "Показано 26–30 из 30" in second.content.decode()
