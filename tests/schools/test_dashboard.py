"""Home-page panels and navigation items of the schools app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import scope
from core.calendar import academic_year_of
from core.registry import home_panels
from schools import dashboard
from tests import factories as f

CURRENT = academic_year_of(timezone.localdate())


def _entry(school, category="shnor", year=CURRENT, **kw):
    kw.setdefault("included_on", dt.date(year, 9, 1))
    return f.RegistryEntryFactory(school=school, academic_year=year, category=category, **kw)


def test_director_panel_shows_own_school(director, school):
    _entry(school)
    panels = dashboard.panels(director)
    assert [p["template"] for p in panels] == ["schools/panels/director.html"]
    assert [s.pk for s in panels[0]["schools"]] == [school.pk]
    assert panels[0]["schools"][0].registry_list[0].category == "shnor"


def test_curator_panel_lists_assigned_schools_only(curator, school):
    f.SchoolFactory(municipality=school.municipality)
    (panel,) = dashboard.panels(curator)
    assert [s.pk for s in panel["schools"]] == [school.pk]


def test_methodist_panel_counts_by_category(methodist, municipality):
    a, b, c, d = (f.SchoolFactory(municipality=municipality) for _ in range(4))
    _entry(a, "shnor")
    _entry(b, "shnor")
    _entry(c, "shfnsu")
    _entry(d, "shnor", excluded_on=timezone.localdate(), exclusion_reason="Рост результатов")
    f.RegistryEntryFactory(
        school=a, academic_year=CURRENT - 1, category="shfnsu", included_on=dt.date(CURRENT - 1, 9, 1)
    )
    f.SchoolFactory()  # another region
    (panel,) = dashboard.panels(methodist)
    (row,) = panel["rows"]
    assert panel["year"] == CURRENT
    assert (row.schools_total, row.shnor, row.shfnsu, row.excluded) == (4, 2, 1, 1)


def test_panel_falls_back_to_latest_year_with_entries(methodist, municipality):
    school = f.SchoolFactory(municipality=municipality)
    f.RegistryEntryFactory(school=school, academic_year=2020, category="shfnsu")
    (panel,) = dashboard.panels(methodist)
    assert panel["year"] == 2020
    assert panel["year_label"] == "2020/2021"
    assert panel["rows"][0].shfnsu == 1


def test_coordinator_panel_per_municipality_in_one_query(coordinator, region, django_assert_num_queries):
    first = f.MunicipalityFactory(region=region, name="Алексеевский район")
    second = f.MunicipalityFactory(region=region, name="Брянский район")
    for _ in range(3):
        _entry(f.SchoolFactory(municipality=first), "shnor")
    _entry(f.SchoolFactory(municipality=second), "shfnsu")
    f.SchoolFactory(municipality=second)
    _entry(f.SchoolFactory(), "shnor")  # another region
    scope.memberships(coordinator)
    with django_assert_num_queries(2):  # the year, then the per-municipality aggregate
        panel = dashboard.region_panel({region.pk})
    rows = {row.pk: (row.schools_total, row.shnor, row.shfnsu) for row in panel["rows"]}
    assert rows == {first.pk: (3, 3, 0), second.pk: (2, 0, 1)}
    assert panel["totals"] == {"schools_total": 5, "shnor": 3, "shfnsu": 1, "excluded": 0}


def test_admin_panel_totals(admin_user, school, other_school):
    _entry(school, "shnor")
    _entry(other_school, "shfnsu")
    (panel,) = dashboard.panels(admin_user)
    assert (panel["regions"], panel["municipalities"], panel["schools"]) == (2, 2, 2)
    assert panel["registry"] == {"shnor": 1, "shfnsu": 1, "excluded": 0}


@pytest.mark.parametrize("role", ["director", "curator", "methodist", "coordinator", "head", "admin_user"])
def test_home_with_schools_panels_bounded_queries(client, request, role, django_assert_max_num_queries):
    """The home page with only this app's panels (the other apps test their own)."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    with home_panels.restricted_to("schools"), django_assert_max_num_queries(15):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200


def test_navigation_items_by_role(client, director, methodist):
    client.force_login(director)
    body = client.get(reverse("schools:school-list")).content.decode()
    assert f'href="{reverse("schools:school-list")}"' in body
    assert f'href="{reverse("schools:registry-list")}"' not in body
    client.force_login(methodist)
    body = client.get(reverse("schools:school-list")).content.decode()
    assert f'href="{reverse("schools:registry-list")}"' in body
