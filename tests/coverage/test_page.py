"""The coverage page: snapshot freshness, recompute on demand, drill-downs, xlsx export, permissions."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.calendar import current_academic_year
from coverage.exports import CoverageExporter
from coverage.selectors import coverage_compute, coverage_fingerprint, coverage_snapshot_fresh
from coverage.services import coverage_snapshot_store
from coverage.tasks import coverage_snapshot_refresh
from monitoring.models import CoverageSnapshot
from monitoring.selectors import Scope
from tests import factories as f

D1, D2 = dt.date(2020, 9, 1), dt.date(2021, 6, 30)


@pytest.fixture
def covered(municipality, school):
    """Two registry schools: one visited with 11/17 trained teachers, one with nothing."""
    f.RegistryEntryFactory(school=school, academic_year=2020)
    plain = f.SchoolFactory(municipality=municipality, name="Яя школа без посещений", teachers_count=8)
    f.RegistryEntryFactory(school=plain, academic_year=2020, category="shfnsu")
    f.MethodicalVisitFactory(school=school, date=dt.date(2020, 12, 1))
    f.MethodicalVisitFactory(school=school, date=dt.date(2021, 6, 8))
    f.IndicatorValueFactory(
        school=school, indicator=f.indicator("teachers_trained"), period_from=D1, period_to=D2, value=11
    )
    f.IndicatorValueFactory(school=school, indicator=f.indicator("teachers_iot"), period_from=D1, period_to=D2, value=5)
    return {"school": school, "plain": plain}


def _url(name, municipality, **extra):
    query = {
        "scope": f"municipality:{municipality.code}",
        "date_from": D1.isoformat(),
        "date_to": D2.isoformat(),
        **extra,
    }
    return f"{reverse(name)}?{urlencode(query)}"


def test_coverage_page_shows_hand_computed_figures(
    client, covered, methodist, municipality, django_assert_max_num_queries
):
    client.force_login(methodist)
    with django_assert_max_num_queries(30):
        response = client.get(_url("coverage:page", municipality))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 (50,00%)" in body  # targeted help: 1 of 2 schools
    assert "11/17" in body and "64,71" in body  # trained teachers
    assert "29,41" in body  # ИОТ: 5 of 17
    assert "01.12.2020, 08.06.2021" in body
    assert "0 (0,00%)" in body  # activity types without done lines
    assert "Данные на " in body
    assert "Пересчитать" in body
    assert CoverageSnapshot.objects.count() == 1


def test_page_query_count_does_not_grow_with_schools(client, methodist, municipality):
    def count(n):
        CoverageSnapshot.objects.all().delete()
        for _ in range(n):
            s = f.SchoolFactory(municipality=municipality)
            f.RegistryEntryFactory(school=s)
            f.MethodicalVisitFactory(school=s)
        client.force_login(methodist)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url("coverage:page", municipality)).status_code == 200
        return len(ctx.captured_queries)

    assert count(3) == count(30)


def test_default_scope_and_period(client, methodist, municipality):
    client.force_login(methodist)
    response = client.get(reverse("coverage:page"))
    assert response.status_code == 200
    start = current_academic_year()
    assert f"01.09.{start} – 31.08.{start + 1}" in response.content.decode()


def test_coverage_permissions(
    client, covered, methodist, head, coordinator, director, curator, other_school, municipality
):
    url = _url("coverage:page", municipality)
    assert client.get(url).status_code == 302  # login
    for user in (methodist, head, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (director, curator):
        client.force_login(user)
        assert client.get(url).status_code == 403
    outsider = f.user_with_role("methodist", municipality=other_school.municipality)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(_url("coverage:page", municipality, scope=f"region:{municipality.region.code}")).status_code == 404
    )
    client.force_login(methodist)
    assert (
        client.get(_url("coverage:page", municipality, scope=f"region:{municipality.region.code}")).status_code == 404
    )
    assert client.get(_url("coverage:page", municipality, scope="nonsense")).status_code == 404
    assert client.post(url).status_code == 405


def test_bad_period_is_a_400_with_a_message(client, methodist, municipality):
    client.force_login(methodist)
    response = client.get(_url("coverage:page", municipality, date_from="2021-06-30", date_to="2021-01-01"))
    assert response.status_code == 400
    assert "дата окончания периода раньше даты начала" in response.content.decode()


def test_period_of_year_one_is_a_400_naming_the_field(client, methodist, municipality):
    client.force_login(methodist)
    response = client.get(_url("coverage:page", municipality, date_from="01.01.0001", date_to="31.12.2999"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Дата в поле «Период с» должна быть от 01.09.2015" in body
    assert "Дата в поле «по» должна быть от 01.09.2015" in body


def test_snapshot_is_reused_while_fresh_and_stale_after_a_change(covered, municipality):
    scope = Scope("municipality", municipality.code)
    first = coverage_snapshot_store(scope=scope, date_from=D1, date_to=D2)
    assert coverage_snapshot_fresh(scope=scope, date_from=D1, date_to=D2) == first
    before = coverage_fingerprint(scope=scope)
    f.MethodicalVisitFactory(school=covered["plain"], date=dt.date(2021, 2, 2))
    assert coverage_fingerprint(scope=scope) != before
    assert coverage_snapshot_fresh(scope=scope, date_from=D1, date_to=D2) is None


def test_fingerprint_ignores_other_municipalities(covered, municipality, other_school):
    scope = Scope("municipality", municipality.code)
    before = coverage_fingerprint(scope=scope)
    f.MethodicalVisitFactory(school=other_school)
    assert coverage_fingerprint(scope=scope) == before


def test_fingerprint_notices_edits_of_existing_rows(covered, municipality):
    scope = Scope("municipality", municipality.code)
    before = coverage_fingerprint(scope=scope)
    entry = covered["plain"].registry_entries.get()
    entry.excluded_on = dt.date(2020, 10, 1)
    entry.exclusion_reason = "Переведена в другую программу"
    entry.save()
    assert coverage_fingerprint(scope=scope) != before


def test_page_recomputes_a_stale_snapshot(client, covered, methodist, municipality):
    client.force_login(methodist)
    assert "1 (50,00%)" in client.get(_url("coverage:page", municipality)).content.decode()
    f.MethodicalVisitFactory(school=covered["plain"], date=dt.date(2021, 2, 2))
    assert "2 (100,00%)" in client.get(_url("coverage:page", municipality)).content.decode()


def test_task_stores_the_snapshot(covered, municipality):
    pk = coverage_snapshot_refresh("municipality", municipality.code, "2020-09-01", "2021-06-30")
    snapshot = CoverageSnapshot.objects.get(pk=pk)
    assert snapshot.data == coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    again = coverage_snapshot_refresh("municipality", municipality.code, "2020-09-01", "2021-06-30")
    assert again == pk and CoverageSnapshot.objects.count() == 1


def test_refresh_button_queues_the_task(client, covered, methodist, head, director, municipality, monkeypatch):
    from coverage.tasks import coverage_snapshot_refresh

    sent = []
    real_delay = coverage_snapshot_refresh.delay
    monkeypatch.setattr(coverage_snapshot_refresh, "delay", lambda *args: sent.append(args) or real_delay(*args))
    url = reverse("coverage:refresh")
    data = {"scope": f"municipality:{municipality.code}", "date_from": "2020-09-01", "date_to": "2021-06-30"}
    client.force_login(methodist)
    response = client.post(url, data)
    assert response.status_code == 302
    assert sent == [("municipality", municipality.code, "2020-09-01", "2021-06-30")]
    assert CoverageSnapshot.objects.count() == 1
    assert client.get(url).status_code == 405
    client.force_login(head)
    assert client.post(url, data).status_code == 403  # a head reads, does not recompute
    client.force_login(director)
    assert client.post(url, data).status_code == 403
    outsider = f.user_with_role("methodist", municipality=f.MunicipalityFactory())
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404


def test_drill_down_lists_schools_behind_and_missing(client, covered, methodist, municipality):
    client.force_login(methodist)
    response = client.get(_url("coverage:drill", municipality, figure="indicator:targeted_help"))
    assert response.status_code == 200
    body = response.content.decode()
    included, missing = body.split("Не вошли (1)")
    assert covered["school"].name in included and covered["plain"].name not in included
    assert covered["plain"].name in missing
    assert "Вошли в показатель (1)" in included
    response = client.get(_url("coverage:drill", municipality, figure="value:teachers_trained"))
    assert "11/17" in response.content.decode()
    assert client.get(_url("coverage:drill", municipality, figure="indicator:nope")).status_code == 404
    assert client.get(_url("coverage:drill", municipality, figure="total")).status_code == 200


def test_drill_down_of_unapproved_reports(client, methodist, municipality, school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    roadmap = f.RoadmapFactory(school=school)
    f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status="submitted")
    f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=2, status="approved")
    client.force_login(methodist)
    page = client.get(_url("coverage:page", municipality)).content.decode()
    assert "Не утверждено квартальных отчётов за период" in page
    body = client.get(_url("coverage:drill", municipality, figure="not_approved")).content.decode()
    assert "1 квартал 2021 г." in body and "2 квартал 2021 г." not in body


def test_drill_permissions(client, covered, director, other_school, municipality, methodist):
    url = _url("coverage:drill", municipality, figure="total")
    client.force_login(director)
    assert client.get(url).status_code == 403
    client.force_login(f.user_with_role("methodist", municipality=other_school.municipality))
    assert client.get(url).status_code == 404
    client.force_login(methodist)
    assert client.post(url).status_code == 405


def test_xlsx_export(client, covered, methodist, director, municipality):
    client.force_login(methodist)
    response = client.get(_url("coverage:export", municipality))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Охват", "По ОО"]
    rows = list(wb["По ОО"].iter_rows(values_only=True))
    school_row = next(r for r in rows if r[1] == covered["school"].name)
    assert "11/17" in school_row and "64,71" in school_row and "29,41" in school_row
    cover = [r for r in wb["Охват"].iter_rows(values_only=True) if r[0] and "адресная" in str(r[0])]
    assert cover[0][1] == "1 (50,00%)"
    client.force_login(director)
    assert client.get(_url("coverage:export", municipality)).status_code == 403
    client.force_login(methodist)
    assert client.post(_url("coverage:export", municipality)).status_code == 405


def test_xlsx_writes_formula_like_text_as_text(municipality):
    school = f.SchoolFactory(municipality=municipality, name='=HYPERLINK("http://evil")', code="@X1")
    f.RegistryEntryFactory(school=school, academic_year=2020)
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    _, _, content = CoverageExporter(data=data).render({})
    ws = load_workbook(io.BytesIO(content))["По ОО"]
    cell = ws.cell(row=2, column=2)
    assert cell.value == '\'=HYPERLINK("http://evil")'  # the one rule of core.exporters.safe_cell
    assert cell.data_type == "s"
    assert ws.cell(row=2, column=1).value == "'@X1"


def test_fingerprint_notices_a_report_saved_by_a_conditional_update(covered, municipality):
    from django.db.models import F

    from roadmaps.models import QuarterlyReport

    report = f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=covered["school"]), status="submitted")
    scope = Scope("municipality", municipality.code)
    before = coverage_fingerprint(scope=scope)
    QuarterlyReport.objects.filter(pk=report.pk).update(status="approved", version=F("version") + 1)
    assert coverage_fingerprint(scope=scope) != before


def test_dashboard_panel_reads_the_snapshot(client, covered, methodist, django_assert_max_num_queries):
    client.force_login(methodist)
    body = client.get(reverse("portal:home")).content.decode()
    assert "Охват ШНОР/ШФНСУ:" in body and "2020/2021 учебный год" in body
    assert "1 (50,00%)" in body  # targeted help: 1 of the 2 registry schools
    first = CoverageSnapshot.objects.get()
    with django_assert_max_num_queries(40):
        client.get(reverse("portal:home"))
    assert CoverageSnapshot.objects.get().computed_at == first.computed_at  # fresh: read, not recomputed


def test_page_opens_on_the_latest_registry_year_when_the_current_one_is_empty(client, municipality, monkeypatch):
    """Hand-made: the municipality's registry has a school only in 2021/22 and «today» is in 2026/27."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: dt.date(2026, 11, 23))
    school = f.SchoolFactory(municipality=municipality)
    f.RegistryEntryFactory(school=school, academic_year=2021, included_on=dt.date(2021, 9, 1))
    client.force_login(f.user_with_role("methodist", municipality=municipality))
    page = client.get(reverse("coverage:page")).content.decode()
    assert 'value="01.09.2021"' in page and 'value="31.08.2022"' in page
    assert "последний учебный год с ОО в реестре — 2021/22" in page
    # A period the user chose is kept as it is, without the note.
    page = client.get(reverse("coverage:page"), {"date_from": "01.09.2026", "date_to": "31.08.2027"})
    assert 'value="01.09.2026"' in page.content.decode()
    assert "последний учебный год" not in page.content.decode()


def test_page_opens_on_the_current_year_when_its_registry_has_schools(client, municipality, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: dt.date(2026, 11, 23))
    school = f.SchoolFactory(municipality=municipality)
    f.RegistryEntryFactory(school=school, academic_year=2021, included_on=dt.date(2021, 9, 1))
    f.RegistryEntryFactory(school=school, academic_year=2026, included_on=dt.date(2026, 9, 1))
    client.force_login(f.user_with_role("methodist", municipality=municipality))
    page = client.get(reverse("coverage:page")).content.decode()
    assert 'value="01.09.2026"' in page and "последний учебный год" not in page


def test_banner_tells_approved_with_done_lines_from_nothing_approved_to_count(client, methodist, municipality, school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    roadmap = f.RoadmapFactory(school=school)
    report = f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=2, status="approved")
    client.force_login(methodist)
    page = client.get(_url("coverage:page", municipality)).content.decode()
    assert "выполненных мероприятий «дорожных карт» в утверждённых отчётах за период нет" in page
    assert "Все квартальные отчёты ОО за период утверждены" not in page
    activity = f.ActivityFactory(roadmap=roadmap, due_on=dt.date(2021, 5, 31))
    f.ActivityReportFactory(report=report, activity=activity, status="done")
    page = client.get(_url("coverage:page", municipality)).content.decode()
    assert "Все квартальные отчёты ОО за период утверждены" in page
