"""`export_template`: every contract sheet, drop-downs, the scope's schools, escaping, round trip."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core.exports import CONTRACT_SHEETS
from core.workbook import importers, run_import
from schools.models import School
from tests import factories as f

CONTRACT = {
    "Муниципалитеты": ["Код", "Наименование", "Код региона", "Регион", "Орган управления образованием", "Руководитель"],
    "ОО": ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"],
    "Реестр": [
        "Код ОО",
        "Учебный год",
        "Категория",
        "Основание",
        "Дата включения",
        "Дата исключения",
        "Обоснование исключения",
        "Куратор",
        "Школа-наставник",
    ],
    "Показатели": ["Код ОО", "Период с", "Период по", "Показатель", "Значение", "Из", "Комментарий"],
    "Результаты": ["Код ОО", "Год", "Процедура", "Предмет", "Средний балл"],
    "Мероприятия": [
        "Код ОО",
        "Квартал",
        "Направление",
        "Вид мероприятия",
        "Мероприятие",
        "Срок",
        "Статус",
        "Результат",
    ],
    "Посещения": ["Код ОО", "Дата", "Цель", "Участники", "Результат"],
}


def test_contract_sheets_match_design_and_registered_importers():
    assert {k: list(v) for k, v in CONTRACT_SHEETS.items()} == CONTRACT
    for importer in importers():
        assert list(importer.columns) == CONTRACT[importer.sheet_name], importer.sheet_name


@pytest.fixture
def scope_data(municipality):
    leader = f.SchoolFactory(municipality=municipality, code="L1", is_leader=True)
    school = f.SchoolFactory(municipality=municipality, code="A1", name='=HYPERLINK("http://evil","x")')
    f.SchoolFactory(municipality=municipality, code="A2")
    f.RegistryEntryFactory(school=school, academic_year=2020)
    f.RegistryEntryFactory(
        school=school, academic_year=2021, included_on="2021-09-01", excluded_on="2022-05-20", exclusion_reason="-рост"
    )
    f.CuratorAssignmentFactory(school=school, full_name="Захарова Ольга Николаевна")
    f.PartnerAssignmentFactory(school=school, leader=leader)
    other = f.SchoolFactory(code="OTHER")
    return municipality, school, other


@pytest.mark.django_db
def test_export_template_writes_all_sheets_validations_and_scope(tmp_path, scope_data):
    municipality, school, other = scope_data
    out = tmp_path / "t.xlsx"
    call_command("export_template", "--municipality", municipality.code, "--out", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == [*CONTRACT, "Справочники"]
    assert wb["Справочники"].sheet_state == "hidden"
    for name, header in CONTRACT.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == header
        assert ws["A1"].font.bold
    oo = wb["ОО"]
    assert [row[0] for row in oo.iter_rows(min_row=2, values_only=True)] == ["A1", "A2", "L1"]
    assert "OTHER" not in [row[0] for row in wb["Реестр"].iter_rows(min_row=2, values_only=True)]
    registry = [row for row in wb["Реестр"].iter_rows(min_row=2, values_only=True)]
    assert registry[0] == (
        "A1",
        "2020/2021",
        "ШНОР",
        "Результаты ВПР ниже регионального уровня",
        "01.09.2020",
        None,
        None,
        "Захарова Ольга Николаевна",
        "L1",
    )
    assert [row[0] for row in registry] == ["A1", "A1", "A2", "L1"]
    validations = {
        (name, str(dv.sqref)): dv.formula1 for name in CONTRACT for dv in wb[name].data_validations.dataValidation
    }
    assert validations[("ОО", "C2:C5000")].startswith("'Справочники'!$G$2")
    assert validations[("Реестр", "C2:C5000")] == "'Справочники'!$A$2:$A$3"
    assert ("Мероприятия", "G2:G5000") in validations
    catalogue = {col[0].value: [c.value for c in col[1:] if c.value] for col in wb["Справочники"].iter_cols()}
    assert catalogue["Категории"] == ["ШНОР", "ШФНСУ"]
    assert catalogue["Статусы"] == ["выполнено", "в работе", "не выполнено", "перенесено"]
    assert catalogue["Да/нет"] == ["да", "нет"]
    assert catalogue["Муниципалитеты"] == [municipality.name]
    assert "курсы повышения квалификации" in catalogue["Виды мероприятий"]
    assert len(catalogue["Направления"]) == 4


@pytest.mark.django_db
def test_formula_injection_is_escaped_in_the_written_file(tmp_path, scope_data):
    municipality, school, _other = scope_data
    out = tmp_path / "t.xlsx"
    call_command("export_template", "--municipality", municipality.code, "--out", str(out))
    cell = load_workbook(out)["ОО"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil","x")'


@pytest.mark.django_db
def test_exported_template_imports_back_without_errors_or_changes(tmp_path, scope_data, capsys):
    municipality, school, _other = scope_data
    out = tmp_path / "t.xlsx"
    call_command("export_template", "--out", str(out))
    capsys.readouterr()
    call_command("import_workbook", str(out), "--dry-run")
    printed = capsys.readouterr().out
    assert "Проверка завершена без ошибок" in printed
    result = run_import(out, by_command=True)
    assert result.ok, result.error_lines()
    assert result.created == 0 and result.updated == 0, [c.text for c in result.changes]
    assert School.objects.get(code="A1").name == '=HYPERLINK("http://evil","x")'


@pytest.mark.django_db
def test_municipalities_with_the_same_name_are_written_by_code(tmp_path):
    first = f.MunicipalityFactory(code="BRY-BRYAN", name="Брянский район")
    second = f.MunicipalityFactory(code="XXX-BRYAN", name="Брянский район")
    f.SchoolFactory(municipality=first, code="S1")
    f.SchoolFactory(municipality=second, code="S2")
    out = tmp_path / "t.xlsx"
    call_command("export_template", "--out", str(out))
    wb = load_workbook(out)
    assert {row[0]: row[2] for row in wb["ОО"].iter_rows(min_row=2, values_only=True)} == {
        "S1": "BRY-BRYAN",
        "S2": "XXX-BRYAN",
    }
    result = run_import(out, by_command=True, dry_run=True)
    assert result.ok, result.error_lines()
    assert result.created == 0 and result.updated == 0
