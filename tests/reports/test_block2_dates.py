"""Block 2 of the programme report prints each line's own dates, or its activity's deadline as
entered — never a quarter's end that nobody entered (issue 12, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.workbook import run_import
from reports.document import document_build
from reports.selectors.snapshot import snapshot_compute
from roadmaps.importers import COLUMNS
from roadmaps.models import Activity
from roadmaps.services.report_lines import report_lines_freeze
from tests import factories as f
from tests.fixtures.workbooks import make_workbook

from .conftest import PERIOD


def _block2(scenario) -> dict[str, list[list[str]]]:
    snapshot = snapshot_compute(
        scope_kind="municipality",
        scope_code=scenario["municipality"].code,
        date_from=PERIOD[0],
        date_to=PERIOD[1],
        template="program-report",
    )
    doc = document_build(snapshot=snapshot, narrative={}, template="program-report", precision=2)
    return {item["school"]["name"]: [row[:2] for row in item["table"].rows] for item in doc["activities"]}


def _line(school, title, *, quarter=1, starts_on=None, due_on, due_text="", started_on=None, finished_on=None):
    roadmap = school.roadmaps.first()
    report, _ = roadmap.reports.get_or_create(year=2021, quarter=quarter, defaults={"status": "approved"})
    activity = f.ActivityFactory(
        roadmap=roadmap,
        activity_type=f.activity_type("teachers-05"),
        title=title,
        starts_on=starts_on,
        due_on=due_on,
        due_text=due_text,
    )
    return f.ActivityReportFactory(
        report=report,
        activity=activity,
        status="done",
        result="Проведено",
        started_on=started_on,
        finished_on=finished_on,
    )


@pytest.fixture
def lines(scenario):
    alfa = scenario["alfa"]
    _line(alfa, "Семинары 2020–2021", due_on=dt.date(2021, 3, 31), due_text="2020–2021 гг.")
    _line(alfa, "Курс с января по июнь", starts_on=dt.date(2021, 1, 11), due_on=dt.date(2021, 6, 3))
    _line(alfa, "Консультация", due_on=dt.date(2021, 3, 31), finished_on=dt.date(2021, 2, 24))
    _line(alfa, "Тренинг", due_on=dt.date(2021, 3, 31), started_on=dt.date(2021, 3, 1))
    return scenario


def test_each_line_prints_its_own_dates_or_its_deadline_as_entered(lines):
    rows = dict(_block2(lines)["МОУ «Альфа СОШ»"])
    assert rows["Семинары 2020–2021"] == "2020–2021 гг."
    assert rows["Курс с января по июнь"] == "11.01.2021 – 03.06.2021"  # the activity's dates, not 31.03.2021
    assert rows["Консультация"] == "24.02.2021"
    assert rows["Тренинг"] == "с 01.03.2021"
    assert rows["Курсы «Школа современного учителя»"] == "10.02.2021 – 12.02.2021"  # conftest: the line's dates
    assert "1 квартал 2021 г." not in rows.values()


def test_an_approved_report_keeps_the_deadline_it_was_approved_with(lines):
    report = lines["alfa"].roadmaps.first().reports.get(year=2021, quarter=1)
    report_lines_freeze(report_ids=[report.pk])
    Activity.objects.filter(title="Семинары 2020–2021").update(due_text="весь год")
    assert dict(_block2(lines)["МОУ «Альфа СОШ»"])["Семинары 2020–2021"] == "2020–2021 гг."


def test_a_snapshot_stored_before_keeps_printing_the_quarter():
    from reports.document.program import ProgramSections

    old = {"quarter": "2021-Q1", "started_on": None, "finished_on": None, "due_on": "2021-03-31"}
    assert ProgramSections.line_when(old) == "1 квартал 2021 г."


@pytest.mark.django_db
def test_import_keeps_a_deadline_written_as_text(school, methodist):
    def row(deadline, title):
        return [school.code, "2021-Q1", "teachers", "", title, deadline, "выполнено", "Проведено"]

    book = make_workbook({"Мероприятия": [COLUMNS, row("2020-2021 гг.", "Семинары"), row("25.03.2021", "Курсы")]})
    result = run_import(book, user=methodist)
    assert result.ok, result.error_lines()
    seminars, courses = Activity.objects.get(title="Семинары"), Activity.objects.get(title="Курсы")
    assert (seminars.due_on, seminars.due_text) == (dt.date(2021, 3, 31), "2020-2021 гг.")
    assert (courses.due_on, courses.due_text) == (dt.date(2021, 3, 25), "")
    # A cell shaped like one date that does not exist is still a typo, refused.
    bad = run_import(make_workbook({"Мероприятия": [COLUMNS, row("31.02.2021", "Ошибка")]}), user=methodist)
    assert not bad.ok
    assert bad.error_lines()[0].startswith("Мероприятия!F2: такой даты нет: «31.02.2021»"), bad.error_lines()
