"""Coverage rules (docs/contracts.md → Coverage rules) with hand-computed expected values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.calendar import quarters_within
from core.numbers import format_count_percent, format_percent, format_ratio
from coverage.selectors import coverage_compute
from monitoring.selectors import Scope, scope_for_user
from tests import factories as f

D1, D2 = dt.date(2021, 1, 1), dt.date(2021, 6, 30)


def _line(school, *, year=2021, quarter=1, status="done", report_status="approved", type_code="teachers-09"):
    roadmap = f.RoadmapFactory(school=school) if not school.roadmaps.exists() else school.roadmaps.first()
    report = roadmap.reports.filter(year=year, quarter=quarter).first() or f.QuarterlyReportFactory(
        roadmap=roadmap, year=year, quarter=quarter, status=report_status
    )
    activity = f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type(type_code))
    return f.ActivityReportFactory(report=report, activity=activity, status=status)


@pytest.fixture
def world(municipality):
    """Five schools of one municipality, each an edge case of the rules."""
    a = f.SchoolFactory(municipality=municipality, name="А школа", teachers_count=17)
    b = f.SchoolFactory(municipality=municipality, name="Б школа")
    c = f.SchoolFactory(municipality=municipality, name="В школа (исключена)")
    d = f.SchoolFactory(municipality=municipality, name="Г школа-лидер", is_leader=True)
    e = f.SchoolFactory(municipality=municipality, name="Д школа")
    for s in (a, b, e):
        f.RegistryEntryFactory(school=s, academic_year=2020, included_on=dt.date(2020, 9, 1))
    f.RegistryEntryFactory(
        school=c,
        academic_year=2020,
        included_on=dt.date(2020, 9, 1),
        excluded_on=dt.date(2020, 12, 15),
        exclusion_reason="Стабильно высокие результаты",
    )
    # A: a visit, a leader partner, the same activity type done in two quarters (counts once).
    f.MethodicalVisitFactory(school=a, date=dt.date(2021, 3, 10))
    f.MethodicalVisitFactory(school=a, date=dt.date(2020, 12, 1))  # before the period
    f.PartnerAssignmentFactory(school=a, leader=d, date_from=dt.date(2020, 9, 1))
    _line(a, quarter=1)
    _line(a, quarter=2)
    # B: one done line; a "в работе" line of another type does not count.
    _line(b, quarter=1)
    _line(b, quarter=1, status="in_progress", type_code="teachers-05")
    # C: excluded before the period; its visit and lines are ignored.
    f.MethodicalVisitFactory(school=c, date=dt.date(2021, 2, 1))
    _line(c, quarter=1)
    # D: a leader school not in the registry is not in scope even with done lines and visits.
    f.MethodicalVisitFactory(school=d, date=dt.date(2021, 2, 1))
    _line(d, quarter=1)
    # E: a done line in the next quarter (outside), a done line in an unapproved report, a partnership
    # that ended before the period.
    _line(e, year=2021, quarter=3, type_code="teachers-05")
    _line(e, year=2021, quarter=2, report_status="submitted", type_code="teachers-01")
    f.PartnerAssignmentFactory(school=e, leader=d, date_from=dt.date(2020, 9, 1), date_to=dt.date(2020, 12, 31))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _type(data, code):
    for direction in data["directions"]:
        for t in direction["types"]:
            if t["code"] == code:
                return t
    raise AssertionError(code)


def test_quarters_inside_the_period():
    assert quarters_within(D1, D2) == [(2021, 1), (2021, 2)]
    assert quarters_within(dt.date(2020, 9, 1), dt.date(2021, 8, 31)) == [(2020, 4), (2021, 1), (2021, 2)]
    assert quarters_within(dt.date(2021, 1, 15), dt.date(2021, 2, 15)) == []


def test_schools_in_scope_follow_the_registry(world, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert [s["name"] for s in data["schools"]] == ["А школа", "Б школа", "Д школа"]
    assert data["total"] == 3
    assert data["schools"][0]["category"] == "ШНОР"
    assert data["schools"][0]["teachers_count"] == 17


def test_three_coverage_indicators(world, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    a, b = world["a"], world["b"]
    by_code = {i["code"]: i for i in data["indicators"]}
    assert [i["code"] for i in data["indicators"]] == ["methodical_work", "network", "targeted_help"]
    # methodical work: A (visit and lines), B (a done line); E's lines do not count.
    assert by_code["methodical_work"]["school_ids"] == [a.pk, b.pk]
    assert format_count_percent(by_code["methodical_work"]["count"], data["total"]) == "2 (66,67%)"
    # network: only A's partnership overlaps the period.
    assert by_code["network"]["school_ids"] == [a.pk]
    assert format_count_percent(by_code["network"]["count"], data["total"]) == "1 (33,33%)"
    # targeted help: a visit in the period; the excluded school's and the leader's visits are ignored.
    assert by_code["targeted_help"]["school_ids"] == [a.pk]


def test_activity_types_count_schools_once_and_only_done_approved_in_period(world, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    courses = _type(data, "teachers-09")
    assert courses["name"] == "курсы повышения квалификации"
    assert courses["count"] == 2  # A twice counts once; C excluded; D not in the registry
    assert courses["school_ids"] == [world["a"].pk, world["b"].pk]
    assert format_count_percent(courses["count"], data["total"]) == "2 (66,67%)"
    assert _type(data, "teachers-05")["count"] == 0  # B "в работе", E in the next quarter
    assert _type(data, "teachers-01")["count"] == 0  # E's report is not approved
    assert data["not_approved_reports"] == 1
    assert [d["code"] for d in data["directions"]] == ["teachers", "motivation", "parents", "failure"]
    assert len(data["directions"][0]["types"]) == 11


def test_next_quarter_counts_when_the_period_includes_it(world, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=dt.date(2021, 9, 30))
    assert _type(data, "teachers-05")["school_ids"] == [world["e"].pk]


def test_per_school_visits_lines_and_latest_indicator_value(world, municipality):
    a = world["a"]
    f.IndicatorValueFactory(
        school=a, indicator=f.indicator("teachers_trained"), period_from=D1, period_to=dt.date(2021, 3, 31), value=5
    )
    f.IndicatorValueFactory(school=a, indicator=f.indicator("teachers_trained"), period_from=D1, period_to=D2, value=11)
    f.IndicatorValueFactory(  # reaches beyond the period: a value inside it wins
        school=a, indicator=f.indicator("teachers_trained"), period_from=D1, period_to=dt.date(2021, 8, 31), value=12
    )
    f.IndicatorValueFactory(
        school=a, indicator=f.indicator("contest_participants"), period_from=D1, period_to=D2, value=2
    )
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    row = data["per_school"][str(a.pk)]
    assert row["visits"] == ["2021-03-10"]
    assert row["done_lines"] == 2
    # Inside the period wins over reaching beyond it (12 for January–August), then the latest-ending.
    period = {"from": "2021-01-01", "to": "2021-06-30"}
    assert row["indicators"]["teachers_trained"] == {"value": "11", "denominator": 17, **period}
    assert row["indicators"]["contest_participants"] == {"value": "2", "denominator": None, **period}
    trained = row["indicators"]["teachers_trained"]
    assert format_ratio(int(trained["value"]), trained["denominator"]) == "11/17"
    assert format_percent(int(trained["value"]), trained["denominator"]) == "64,71"
    assert data["per_school"][str(world["b"].pk)]["done_lines"] == 1
    assert data["per_school"][str(world["e"].pk)] == {"visits": [], "done_lines": 0, "indicators": {}}


def test_region_scope_includes_every_municipality(world, municipality):
    other = f.SchoolFactory(municipality=f.MunicipalityFactory(region=municipality.region), name="Е школа")
    f.RegistryEntryFactory(school=other, academic_year=2020, category="shfnsu")
    data = coverage_compute(scope=Scope("region", municipality.region.code), date_from=D1, date_to=D2)
    assert data["total"] == 4
    assert data["schools"][-1]["category"] == "ШФНСУ"
    assert data["scope"]["kind"] == "region"
    assert data["scope"]["name"] == municipality.region.name


def test_zero_schools_in_scope_prints_zero_percent(municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert data["total"] == 0
    assert all(i["count"] == 0 for i in data["indicators"])
    assert format_count_percent(data["indicators"][0]["count"], data["total"]) == "0 (0,00%)"
    assert data["per_school"] == {}


def test_result_is_json_serialisable_with_the_agreed_keys(world, municipality):
    import json

    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert set(data) == {
        "scope",
        "period",
        "schools",
        "total",
        "not_approved_reports",
        "indicators",
        "directions",
        "per_school",
    }
    assert set(data["scope"]) == {
        "kind",
        "code",
        "name",
        "region_name",
        "authority",
        "head_name",
        "head_position",
        "requisites",
        "methodical_service",
    }
    assert data["period"] == {"from": "2021-01-01", "to": "2021-06-30"}
    json.dumps(data)


def test_scope_parse():
    assert Scope.parse("region:BRY") == Scope("region", "BRY")
    assert Scope.parse(" municipality:BEL-BR ") == Scope("municipality", "BEL-BR")
    for bad in ("", "BRY", "country:RU", "region:"):
        with pytest.raises(ValueError, match="Территория"):
            Scope.parse(bad)


def test_scope_for_user(municipality, methodist, coordinator, director, other_school):
    mun_scope = Scope("municipality", municipality.code)
    assert scope_for_user(methodist, mun_scope) == municipality
    assert scope_for_user(coordinator, mun_scope) == municipality
    assert scope_for_user(coordinator, Scope("region", municipality.region.code)) == municipality.region
    with pytest.raises(Http404):
        scope_for_user(methodist, Scope("region", municipality.region.code))
    with pytest.raises(Http404):
        scope_for_user(director, mun_scope)
    with pytest.raises(Http404):
        scope_for_user(methodist, Scope("municipality", other_school.municipality.code))


def _populate(municipality, n):
    leader = f.SchoolFactory(municipality=municipality, is_leader=True)
    for i in range(n):
        s = f.SchoolFactory(municipality=municipality)
        f.RegistryEntryFactory(school=s, category="shnor" if i % 2 else "shfnsu")
        f.MethodicalVisitFactory(school=s)
        f.PartnerAssignmentFactory(school=s, leader=leader)
        f.IndicatorValueFactory(
            school=s, indicator=f.indicator("teachers_trained"), period_from=D1, period_to=D2, value=3
        )
        _line(s, quarter=1)


@pytest.mark.parametrize("n", [10, 200])
def test_query_count_does_not_depend_on_schools(municipality, n):
    _populate(municipality, n)
    with CaptureQueriesContext(connection) as ctx:
        data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert data["total"] == n
    assert data["indicators"][0]["count"] == n
    assert _type(data, "teachers-09")["count"] == n
    assert len(ctx.captured_queries) == 6  # catalogue in one query; pending reports counted in the school query


def test_lines_of_untyped_activities_and_of_other_areas(world, municipality, other_school):
    """Per-type counts and per-school done lines come from one grouped query over the in-scope
    schools' lines: a done line of an activity without a type is methodical work of its school but
    belongs to no type; done lines of a school of another area count nowhere."""
    b = world["b"]
    untyped = _line(b, quarter=2)
    untyped.activity.activity_type = None
    untyped.activity.save()
    f.RegistryEntryFactory(school=other_school, academic_year=2020, included_on=dt.date(2020, 9, 1))
    _line(other_school, quarter=1)
    _line(other_school, quarter=1, type_code="teachers-05")

    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert data["per_school"][str(b.pk)]["done_lines"] == 2  # the typed line of Q1 and the untyped one of Q2
    assert data["per_school"][str(world["a"].pk)]["done_lines"] == 2
    assert str(other_school.pk) not in data["per_school"]
    courses = _type(data, "teachers-09")
    assert (courses["count"], courses["school_ids"]) == (2, [world["a"].pk, b.pk])
    assert _type(data, "teachers-05")["count"] == 0
    assert sum(t["count"] for d in data["directions"] for t in d["types"]) == 2


@pytest.mark.django_db
def test_schools_are_listed_in_natural_order(municipality):
    """№2 before №10, and a quoted name is not first for its «: the order every reference prints."""
    for name in ("МОУ СОШ №10", "МОУ СОШ №2", "МОУ «Журавлевская СОШ»", "МОУ «Яблоновская СОШ»"):
        school = f.SchoolFactory(municipality=municipality, name=name)
        f.RegistryEntryFactory(school=school, academic_year=2020, included_on=dt.date(2020, 9, 1))
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert [s["name"] for s in data["schools"]] == [
        "МОУ «Журавлевская СОШ»",
        "МОУ СОШ №2",
        "МОУ СОШ №10",
        "МОУ «Яблоновская СОШ»",
    ]
