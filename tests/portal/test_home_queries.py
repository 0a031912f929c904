"""Issue 7: the methodist's home costs a fixed number of queries whatever the number of schools,
including the first visit, when the coverage snapshot has to be computed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.calendar import academic_year_of, current_quarter
from roadmaps.models import ReportStatus
from tests import factories as f

MAX_QUERIES = 20


def build_municipality(municipality, schools: int) -> None:
    """Demo-like data: registry entries of the current academic year, a roadmap with two activities,
    the current quarter's report (half submitted), a methodical visit and a partner per school."""
    today = timezone.localdate()
    year = academic_year_of(today)
    cal_year, quarter = current_quarter()
    leader = f.SchoolFactory(municipality=municipality, is_leader=True)
    for n in range(schools):
        school = f.SchoolFactory(municipality=municipality)
        f.RegistryEntryFactory(school=school, academic_year=year, included_on=dt.date(year, 9, 1))
        roadmap = f.RoadmapFactory(school=school, academic_year=year)
        report = f.QuarterlyReportFactory(
            roadmap=roadmap,
            year=cal_year,
            quarter=quarter,
            status=ReportStatus.SUBMITTED if n % 2 else ReportStatus.DRAFT,
        )
        for _ in range(2):
            f.ActivityReportFactory(report=report, activity__due_on=today)
        f.MethodicalVisitFactory(school=school, date=today)
        f.PartnerAssignmentFactory(school=school, leader=leader, date_from=dt.date(year, 9, 1))


def home_queries(client, user) -> CaptureQueriesContext:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return ctx


@pytest.mark.parametrize("schools", [5, 50])
def test_methodist_home_stays_within_20_queries(client, municipality, methodist, schools):
    build_municipality(municipality, schools)
    home_queries(client, methodist)  # the first visit computes and stores the coverage snapshot
    ctx = home_queries(client, methodist)  # every later visit reads it
    assert len(ctx) <= MAX_QUERIES, "\n".join(q["sql"][:160] for q in ctx.captured_queries)


def test_first_visit_costs_the_same_for_5_and_50_schools(client, django_user_model):
    """The first visit also computes the coverage snapshot (a fixed handful of queries more): the
    count must not grow with the number of schools."""
    counts = []
    for schools in (5, 50):
        municipality = f.MunicipalityFactory()
        build_municipality(municipality, schools)
        methodist = f.user_with_role("methodist", municipality=municipality)
        counts.append(len(home_queries(client, methodist)))
        client.logout()
    assert counts[0] == counts[1] <= MAX_QUERIES + 12


def test_methodist_home_shows_the_panels_with_real_figures(client, municipality, methodist):
    build_municipality(municipality, 4)
    client.force_login(methodist)
    html = client.get("/").content.decode()
    assert "Охват ШНОР/ШФНСУ:" in html and municipality.name in html
    # Targeted help = schools with a methodical visit in the year: all 4 registry schools.
    assert "4 (100,00%)" in html
    assert "Методист" in html  # the memberships line, now served by the cached role query
