"""`Мероприятия` imports write in bulk: the query count does not grow with the rows, every written row
has its history record, and re-importing the same file changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.workbook import run_import
from roadmaps.importers import COLUMNS
from roadmaps.models import Activity, ActivityReport, QuarterlyReport, ReportTransition, Roadmap
from tests import factories as f
from tests.fixtures.workbooks import make_workbook

pytestmark = pytest.mark.django_db

STATUSES = [
    ("выполнено", "Проведено"),
    ("в работе", "Готовится"),
    ("не выполнено", "Болезнь ответственного"),
    ("перенесено", "Перенесено приказом ОУО"),
]
TYPES = ["курсы повышения квалификации", "Проведение индивидуальных консультаций с родителями", ""]


def workbook(rows: list[list]) -> bytes:
    return make_workbook({"Мероприятия": [COLUMNS, *rows]})


def rows_for(schools: list, count: int, *, result_suffix: str = "") -> list[list]:
    """`count` rows spread over the schools and two quarters of the 2020/2021 academic year."""
    rows = []
    for n in range(count):
        status, result = STATUSES[n % len(STATUSES)]
        kind = TYPES[n % len(TYPES)]
        rows.append(
            [
                schools[(n // 2) % len(schools)].code,
                "2021-Q1" if n % 2 else "2021-Q2",
                "" if kind else "motivation",
                kind,
                "" if n < 10 and n % 3 == 0 else f"Мероприятие № {n}",  # a few named after their type
                "",
                status,
                result + result_suffix,
            ]
        )
    return rows


@pytest.fixture
def schools(school):
    return [school, *(f.SchoolFactory(municipality=school.municipality) for _ in range(9))]


def import_queries(rows: list[list], user) -> int:
    """Queries of importing these rows, rolled back afterwards so that the next count starts alike."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            result = run_import(workbook(rows), user=user)
        assert result.ok, result.error_lines()
        transaction.set_rollback(True)
    return len(queries)


# SQLite takes at most 999 parameters a statement, so Django splits a bulk insert of 150 rows into
# a few batches there (a row by row import would add over a thousand queries); on PostgreSQL the
# counts are equal.
BATCHES = 0 if connection.vendor == "postgresql" else 8


def test_query_count_of_a_new_import_does_not_grow_with_rows(schools, methodist):
    few = import_queries(rows_for(schools, 10), methodist)
    many = import_queries(rows_for(schools, 150), methodist)
    assert many <= few + BATCHES, (few, many)
    assert few < 40


def test_query_count_of_an_updating_import_does_not_grow_with_rows(schools, methodist):
    assert run_import(workbook(rows_for(schools, 150)), user=methodist).ok
    few = import_queries(rows_for(schools, 10, result_suffix=" (уточнено)"), methodist)
    many = import_queries(rows_for(schools, 150, result_suffix=" (уточнено)"), methodist)
    assert many <= few + BATCHES, (few, many)


def test_bulk_written_rows_have_history(schools, methodist):
    result = run_import(workbook(rows_for(schools, 40)), user=methodist)
    assert result.ok, result.error_lines()
    assert result.counts["Мероприятия"] == (40, 0)
    for model in (Roadmap, Activity, ActivityReport):
        objects = list(model.objects.all())
        assert objects
        history = model.history.filter(history_type="+")
        assert sorted(h.id for h in history) == sorted(o.pk for o in objects), model
        assert {h.history_user_id for h in history} == {methodist.pk}, model
    reports = list(QuarterlyReport.objects.all())
    assert len(reports) == 20 and {r.status for r in reports} == {"approved"}
    for report in reports:
        # Created as a draft, then approved by the import: both steps are in the report's history.
        steps = [(h.history_type, h.status, h.version) for h in report.history.order_by("history_date", "history_id")]
        assert steps == [("+", "draft", 1), ("~", "approved", 2)], steps
        assert report.history.latest().history_user_id == methodist.pk
        assert report.approved_by_id == methodist.pk and report.submitted_at == report.approved_at
    assert ReportTransition.objects.filter(action="import").count() == 20
    line = ActivityReport.objects.get(activity__title="Мероприятие № 2")
    assert (line.status, line.result, line.reason) == ("not_done", "", "Болезнь ответственного")
    assert line.history.get().reason == "Болезнь ответственного"


def test_reimport_of_the_same_file_changes_nothing(schools, methodist):
    data = workbook(rows_for(schools, 40))
    assert run_import(data, user=methodist).ok
    counts = {m: m.history.count() for m in (Roadmap, Activity, ActivityReport, QuarterlyReport)}
    transitions = ReportTransition.objects.count()
    again = run_import(data, user=methodist)
    assert again.ok, again.error_lines()
    assert again.counts["Мероприятия"] == (0, 0)
    assert again.changes == [] and again.changes_total == 0
    assert {m: m.history.count() for m in counts} == counts
    assert ReportTransition.objects.count() == transitions


def test_changed_lines_are_updated_with_history(schools, methodist):
    rows = rows_for(schools, 12)
    assert run_import(workbook(rows), user=methodist).ok
    rows[0][7] = "Проведено, 14 педагогов"
    rows[4][7] = "Проведено, 3 семинара"
    result = run_import(workbook(rows), user=methodist)
    assert result.ok, result.error_lines()
    assert result.counts["Мероприятия"] == (0, 2)
    assert [(c.row, c.action) for c in result.changes] == [(2, "update"), (6, "update")]
    line = ActivityReport.objects.get(result="Проведено, 14 педагогов")
    assert [h.history_type for h in line.history.order_by("history_date", "history_id")] == ["+", "~"]
    assert line.history.latest().result == "Проведено, 14 педагогов"
    assert ActivityReport.objects.count() == 12


def test_activity_of_an_earlier_row_is_reused_by_another_quarter(school, methodist):
    """Two quarters of one academic year share the roadmap: the same activity gets a line in each."""
    row = [school.code, "2021-Q1", "teachers", "", "Семинар по ФГОС", "31.05.2021", "выполнено", "Проведён"]
    result = run_import(workbook([row, [*row[:1], "2021-Q2", *row[2:]]]), user=methodist)
    assert result.ok, result.error_lines()
    activity = Activity.objects.get()
    assert activity.order == 1
    assert sorted(activity.report_lines.values_list("report__quarter", flat=True)) == [1, 2]
    assert [c.text.split(":")[0] for c in result.changes] == [
        f"дорожная карта {school.name} на 2020/2021 учебный год",
        f"{school.code}, 2021-Q1",
        f"{school.code}, 2021-Q2",
    ]


def test_new_activities_are_numbered_after_the_existing_ones(school, methodist):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type("teachers-09"))
    f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type("parents-02"))
    rows = [[school.code, "2021-Q1", "teachers", "", f"Семинар {n}", "", "выполнено", "Проведён"] for n in range(1, 4)]
    result = run_import(workbook(rows), user=methodist)
    assert result.ok, result.error_lines()
    orders = Activity.objects.filter(title__startswith="Семинар").order_by("title").values_list("order", flat=True)
    assert list(orders) == [3, 4, 5]
