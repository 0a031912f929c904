"""make_synthetic: the benchmark region has the promised shape, is rebuilt without duplicates and
is removed completely."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from bench import synthetic
from core.calendar import quarter_academic_year
from core.models import Membership, User
from core.scope import schools_for
from coverage.selectors import coverage_compute
from monitoring.models import AssessmentResult, IndicatorValue, MethodicalVisit
from monitoring.selectors import Scope
from roadmaps.models import Activity, ActivityReport, QuarterlyReport, ReportStatus, Roadmap
from schools.models import Municipality, Region, RegistryEntry, School

pytestmark = pytest.mark.django_db


def test_quarters_end_with_todays_quarter():
    assert synthetic.quarters_ending_now(4, dt.date(2026, 11, 23)) == ((2026, 1), (2026, 2), (2026, 3), (2026, 4))
    assert synthetic.quarters_ending_now(3, dt.date(2027, 2, 1)) == ((2026, 3), (2026, 4), (2027, 1))


def test_builds_the_promised_region():
    spec = synthetic.build(schools=12, activities=5, quarters=3)
    region = Region.objects.get(code="SYN12")
    in_region = {"municipality__region": region}
    assert School.objects.filter(**in_region, is_leader=False).count() == 12
    assert School.objects.filter(**in_region, is_leader=True).count() == 3  # one municipality of ~100
    assert Municipality.objects.filter(region=region).count() == 1
    assert ActivityReport.objects.filter(report__roadmap__school__municipality__region=region).count() == 12 * 5 * 3
    assert spec.lines == 180
    reports = QuarterlyReport.objects.filter(roadmap__school__municipality__region=region)
    assert reports.count() == 12 * 3
    # every line belongs to an activity of its own report's roadmap
    assert (
        not ActivityReport.objects.filter(report__roadmap__school__municipality__region=region)
        .exclude(activity__roadmap=F("report__roadmap"))
        .exists()
    )
    # every school is in the registry for the period, and has a roadmap per academic year touched
    assert RegistryEntry.objects.filter(school__municipality__region=region).values("school").distinct().count() == 12
    assert Roadmap.objects.filter(school__municipality__region=region).count() == 12 * len(
        {quarter_academic_year(y, q) for y, q in spec.quarters}
    )
    assert (
        Activity.objects.filter(roadmap__school__municipality__region=region).count()
        == Roadmap.objects.filter(school__municipality__region=region).count() * 5
    )
    assert IndicatorValue.objects.filter(school__municipality__region=region).exists()
    assert AssessmentResult.objects.filter(school__municipality__region=region).count() == 12 * 3 * 2 * 2
    assert MethodicalVisit.objects.filter(school__municipality__region=region).exists()


def test_users_have_the_right_scopes():
    synthetic.build(schools=12, activities=2, quarters=1)
    director = User.objects.get(username=synthetic.director_username("SYN12", 3))
    assert list(schools_for(director).values_list("code", flat=True)) == ["SYN12-0003"]
    methodist = User.objects.get(username=synthetic.methodist_username("SYN12", 1))
    assert schools_for(methodist).filter(is_leader=False).count() == 12
    coordinator = User.objects.get(username=synthetic.coordinator_username("SYN12"))
    assert Membership.objects.get(user=coordinator).role == "coordinator"
    assert director.check_password("demo")


def test_earlier_quarters_are_mostly_approved_and_the_current_one_is_in_progress():
    spec = synthetic.build(schools=200, activities=1, quarters=2)
    reports = QuarterlyReport.objects.filter(roadmap__school__municipality__region__code=spec.region_code)
    first_year, first_quarter = spec.quarters[0]
    year, quarter = spec.current_quarter
    approved_before = reports.filter(year=first_year, quarter=first_quarter, status=ReportStatus.APPROVED).count()
    approved_now = reports.filter(year=year, quarter=quarter, status=ReportStatus.APPROVED).count()
    drafts_now = reports.filter(year=year, quarter=quarter, status=ReportStatus.DRAFT).count()
    assert approved_before > 160  # about 90 %
    assert approved_now < 50  # about 12 %
    assert drafts_now > 60  # about 45 %


def test_coverage_runs_on_the_synthetic_region():
    spec = synthetic.build(schools=12, activities=4, quarters=2)
    coverage = coverage_compute(scope=Scope("region", spec.region_code), date_from=spec.date_from, date_to=spec.date_to)
    assert coverage["total"] == 12
    assert (
        coverage["not_approved_reports"]
        == QuarterlyReport.objects.filter(roadmap__school__municipality__region__code=spec.region_code)
        .exclude(status=ReportStatus.APPROVED)
        .count()
    )


def test_rebuild_replaces_without_duplicates_and_reuse_detects_it():
    spec = synthetic.build(schools=6, activities=2, quarters=2)
    assert synthetic.existing(spec)
    assert not synthetic.existing(synthetic.describe(schools=6, activities=3, quarters=2))
    synthetic.build(schools=6, activities=2, quarters=2)
    assert School.objects.filter(code__startswith="SYN6-").count() == 6 + 3
    assert ActivityReport.objects.filter(report__roadmap__school__code__startswith="SYN6-").count() == 24
    assert User.objects.filter(username__startswith="syn6.").count() == 6 + 1 + 2


def test_delete_removes_everything():
    synthetic.build(schools=6, activities=2, quarters=2)
    synthetic.delete("SYN6")
    assert not Region.objects.filter(code="SYN6").exists()
    assert not School.objects.filter(code__startswith="SYN6-").exists()
    assert not User.objects.filter(username__startswith="syn6.").exists()
    assert not ActivityReport.objects.filter(report__roadmap__school__code__startswith="SYN6-").exists()


def test_command_builds_and_reuses():
    out = StringIO()
    call_command("make_synthetic", "--schools", "5", "--activities", "2", "--quarters", "1", stdout=out)
    assert "SYN5: 5 ОО" in out.getvalue()
    assert "10 строк отчётов" in out.getvalue()
    out = StringIO()
    call_command("make_synthetic", "--schools", "5", "--activities", "2", "--quarters", "1", "--reuse", stdout=out)
    assert "уже построен" in out.getvalue()


def test_bench_sql_baseline_counts_the_same_rows_as_the_selector():
    from bench.figures import coverage_sql

    spec = synthetic.build(schools=30, activities=6, quarters=3)
    region = Region.objects.get(code=spec.region_code)
    got = coverage_compute(scope=Scope("region", spec.region_code), date_from=spec.date_from, date_to=spec.date_to)
    expected = coverage_sql(region.pk, spec.date_from, spec.date_to)
    assert {t["id"]: t["count"] for d in got["directions"] for t in d["types"] if t["count"]} == expected["types"]
    assert expected["types"]  # approved done lines exist, so the comparison is not vacuous
    indicators = {i["code"]: i["count"] for i in got["indicators"]}
    assert (got["total"], indicators["targeted_help"], indicators["network"], got["not_approved_reports"]) == (
        expected["total"],
        expected["visited"],
        expected["network"],
        expected["pending"],
    )


def test_bench_form_parser_sends_what_a_browser_would():
    from bench.load import FormFields

    parser = FormFields()
    parser.feed(
        '<form method="post" action="/logout/"><input name="csrfmiddlewaretoken" value="a"></form>'
        '<form method="post"><input type="hidden" name="version" value="3">'
        '<select name="line-7-status"><option value="">—</option><option value="done" selected>в</option></select>'
        '<textarea name="line-7-result">\nПроведено</textarea><input type="file" name="line-7-files">'
        '<input type="checkbox" name="off"><button name="action" value="submit">Отправить</button></form>'
    )
    assert parser.forms[1] == [("version", "3"), ("line-7-status", "done"), ("line-7-result", "Проведено")]
    assert parser.forms[0] == [("csrfmiddlewaretoken", "a")]


def test_bench_table_names_the_machine_and_unimplemented_figures():
    from bench.runner import Figure, machine_header, render_table

    table = render_table(
        [
            Figure(name="охват", target="≤ 3×", median=0.0412, runs=7, queries=8, ratio=1.5, baseline="SQL").judge(
                True
            ),
            Figure(name="выгрузка", target="≤ 15 с", note="нет выгрузки"),
        ],
        machine_header(),
    )
    assert "ядра" in table and ("SQLite" in table or "PostgreSQL" in table)
    row = next(line for line in table.splitlines() if line.startswith("| охват"))
    assert [cell.strip() for cell in row.strip("|").split("|")] == [
        "охват",
        "41 мс",
        "7",
        "8",
        "≤ 3×",
        "1,50× к SQL",
        "в норме",
    ]
    assert "не реализовано" in table
    assert "- выгрузка: нет выгрузки" in table
