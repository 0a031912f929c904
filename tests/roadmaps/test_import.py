"""`Мероприятия` sheet: activities and report lines of a quarter, approved when staff import them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from core.workbook import run_import
from roadmaps.importers import COLUMNS
from roadmaps.models import Activity, ActivityReport, QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus
from tests import factories as f
from tests.fixtures.workbooks import make_workbook

pytestmark = pytest.mark.django_db


def workbook(rows: list[list]) -> bytes:
    return make_workbook({"Мероприятия": [COLUMNS, *rows]})


def rows_for(school) -> list[list]:
    return [
        [
            school.code,
            "2021-Q1",
            "teachers",
            "курсы повышения квалификации",
            "",
            "25.03.2021",
            "выполнено",
            "5 педагогов прошли КПК",
        ],
        [
            school.code,
            "2021-Q1",
            "Повышение мотивации обучающихся",
            "",
            "Выявление ведущих учебных мотивов",
            "",
            "в работе",
            "Проведено тестирование 8-9 классов",
        ],
        [
            school.code,
            "2021-Q1",
            "",
            "Проведение индивидуальных консультаций с родителями",
            "",
            "15.02.2021",
            "перенесено",
            "Карантин, перенесено на апрель",
        ],
    ]


def test_methodist_import_creates_an_approved_report(school, methodist):
    result = run_import(workbook(rows_for(school)), user=methodist)
    assert result.ok, result.error_lines()
    assert result.counts["Мероприятия"] == (3, 0)
    roadmap = Roadmap.objects.get(school=school)
    assert (roadmap.academic_year, roadmap.status) == (2020, RoadmapStatus.APPROVED)
    report = QuarterlyReport.objects.get(roadmap=roadmap)
    assert (report.year, report.quarter, report.status, report.approved_by) == (
        2021,
        1,
        ReportStatus.APPROVED,
        methodist,
    )
    kpk = Activity.objects.get(roadmap=roadmap, activity_type__code="teachers-09")
    assert (kpk.title, kpk.due_on, kpk.direction.code) == (
        "Курсы повышения квалификации",
        dt.date(2021, 3, 25),
        "teachers",
    )
    own = Activity.objects.get(title="Выявление ведущих учебных мотивов")
    assert own.activity_type is None
    assert own.due_on == dt.date(2021, 3, 31)  # the quarter's end when Срок is empty
    postponed = ActivityReport.objects.get(activity__activity_type__code="parents-02")
    assert (postponed.status, postponed.result, postponed.reason) == ("postponed", "", "Карантин, перенесено на апрель")
    assert report.transitions.get().action == "import"


def test_reimport_updates_instead_of_duplicating(school, methodist):
    run_import(workbook(rows_for(school)), user=methodist)
    rows = rows_for(school)
    rows[0][7] = "6 педагогов прошли КПК"
    result = run_import(workbook(rows), user=methodist)
    assert result.ok, result.error_lines()
    assert result.counts["Мероприятия"] == (0, 1)
    assert Activity.objects.count() == 3
    assert ActivityReport.objects.get(activity__activity_type__code="teachers-09").result == "6 педагогов прошли КПК"


def test_command_import_without_user_is_approved(school):
    result = run_import(workbook(rows_for(school)), by_command=True)
    assert result.ok, result.error_lines()
    assert QuarterlyReport.objects.get().status == ReportStatus.APPROVED


def test_errors_are_row_numbered_and_nothing_is_written(school, methodist):
    rows = rows_for(school)
    rows[1][6] = "сделано"
    rows[2][7] = ""
    rows.append(["NOPE", "2021-Q1", "teachers", "", "Семинар", "", "выполнено", ""])
    result = run_import(workbook(rows), user=methodist)
    assert not result.ok
    lines = result.error_lines()
    assert any(line.startswith("Мероприятия!G3: недопустимое значение «сделано»") for line in lines), lines
    assert any(line.startswith("Мероприятия!H4: для статуса «перенесено»") for line in lines), lines
    assert any(line.startswith("Мероприятия!A5: ОО с кодом или наименованием «NOPE» не найдена") for line in lines)
    assert not Roadmap.objects.exists() and not Activity.objects.exists()


def test_school_outside_methodist_scope_is_refused(other_school, methodist):
    result = run_import(workbook(rows_for(other_school)), user=methodist)
    assert not result.ok
    assert "вне вашей зоны ответственности" in result.error_lines()[0]


def test_report_under_review_is_not_overwritten(school, methodist):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status="submitted")
    result = run_import(workbook(rows_for(school)), user=methodist)
    assert not result.ok
    assert "в статусе «на проверке» и ведётся на портале" in result.error_lines()[0]


def test_wrong_direction_for_type_is_an_error(school, methodist):
    rows = [[school.code, "2021-Q1", "parents", "курсы повышения квалификации", "", "", "выполнено", "Да"]]
    result = run_import(workbook(rows), user=methodist)
    assert not result.ok
    assert result.error_lines()[0].startswith("Мероприятия!D2: Вид мероприятия «курсы повышения квалификации» не")


def test_exported_template_filled_in_imports(school, methodist):
    """The `export_template` workbook, with a Мероприятия row typed in from its drop-down lists."""
    from core.exports import WorkbookTemplateExporter
    from schools.models import Municipality, School

    _, _, data = WorkbookTemplateExporter(
        schools=School.objects.filter(pk=school.pk),
        municipalities=Municipality.objects.filter(pk=school.municipality_id),
    ).render({})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for name in wb.sheetnames:
        if name not in ("Мероприятия", "Справочники"):
            del wb[name]
    ws = wb["Мероприятия"]
    assert [c.value for c in ws[1]][: len(COLUMNS)] == list(COLUMNS)
    ws.append(
        [
            school.code,
            "2021-Q2",
            "Преодоление учебной неуспешности",
            "мониторинг качества образования (ВСОКО)",
            "",
            "18.06.2021",
            "выполнено",
            "Проведены контрольные работы",
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    result = run_import(buffer.getvalue(), user=methodist)
    assert result.ok, result.error_lines()
    line = ActivityReport.objects.get()
    assert (line.activity.activity_type.code, line.report.quarter, line.report.status) == ("failure-06", 2, "approved")


def test_activity_type_spelled_as_the_source_document_matches(school, methodist):
    """Seed 001 writes this type with no space before the bracket; the catalogue has one."""
    spelled = "организация индивидуальной работы с обучающимися(в том числе дополнительной и по ИОМ)"
    row = [school.code, "2021-Q1", "", spelled, "", "25.03.2021", "выполнено", "Занятия по ИОМ"]
    result = run_import(workbook([row]), user=methodist)
    assert result.ok, result.error_lines()
    activity = Activity.objects.get()
    assert activity.activity_type is not None
    assert activity.activity_type.name.startswith("организация индивидуальной работы с обучающимися (")


def test_unknown_activity_type_suggests_the_nearest_catalogue_entries(school, methodist):
    typo = "организация индивидуальной роботы с обучающимися"
    row = [school.code, "2021-Q1", "", typo, "", "25.03.2021", "выполнено", "Занятия"]
    result = run_import(workbook([row]), user=methodist)
    assert not result.ok
    [line] = result.error_lines()
    assert line.startswith(f"Мероприятия!D2: Вид мероприятия «{typo}» не совпадает ни с одной записью справочника.")
    assert "Возможно: «организация индивидуальной работы с обучающимися (в том числе" in line
    assert "не найден" not in line
