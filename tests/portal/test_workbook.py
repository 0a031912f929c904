"""The workbook import framework: safe reading, parse helpers, row-numbered errors, atomicity."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from core.workbook import (
    RowError,
    normalize_name,
    parse_academic_year,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_quarter,
    run_import,
)
from schools.models import RegistryEntry, School
from tests import factories as f
from tests.fixtures.workbooks import (
    OO_HEADER,
    REGISTRY_HEADER,
    corrupt_workbook,
    make_workbook,
    plain_zip,
    too_many_entries,
    zip_bomb,
    zip_bytes,
)

OO = OO_HEADER
REESTR = REGISTRY_HEADER


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# -- parse helpers --------------------------------------------------------------------------


def test_normalize_name_ignores_case_spacing_and_quote_style():
    assert normalize_name("МОУ «Журавлевская  СОШ»") == normalize_name('моу "Журавлёвская сош"')
    assert normalize_name("МОУ 'Журавлевская СОШ'") == normalize_name("МОУ «Журавлевская СОШ»")
    assert normalize_name("МБОУ СОШ № 8") == normalize_name("МБОУ СОШ №8")
    assert normalize_name("МБОУ СОШ №8") != normalize_name("МБОУ СОШ №9")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("01.09.2020", dt.date(2020, 9, 1)),
        ("1.9.2020", dt.date(2020, 9, 1)),
        (dt.datetime(2021, 3, 31, 0, 0), dt.date(2021, 3, 31)),
        (dt.date(2021, 3, 31), dt.date(2021, 3, 31)),
        ("2021-03-31", dt.date(2021, 3, 31)),
        (44286, dt.date(2021, 3, 31)),  # an Excel serial date
        (None, None),
        ("  ", None),
    ],
)
def test_parse_date_accepts_russian_and_excel_dates(value, expected):
    assert parse_date(value, "Дата") == expected


def test_parse_date_rejects_impossible_and_unknown_formats():
    with pytest.raises(RowError) as exc:
        parse_date("31.02.2021", "Дата")
    assert exc.value.column == "Дата"
    assert "такой даты нет" in exc.value.message
    with pytest.raises(RowError) as exc:
        parse_date("март 2021", "Дата")
    assert "ДД.ММ.ГГГГ" in exc.value.message
    with pytest.raises(RowError):
        parse_date(None, "Дата", required=True)


def test_parse_quarter_and_academic_year():
    assert parse_quarter("2021-Q1", "Квартал") == (2021, 1)
    assert parse_quarter("2021-q4", "Квартал") == (2021, 4)
    with pytest.raises(RowError):
        parse_quarter("2021-Q5", "Квартал")
    assert parse_academic_year("2020/2021", "Учебный год") == 2020
    assert parse_academic_year("2020-2021", "Учебный год") == 2020
    with pytest.raises(RowError) as exc:
        parse_academic_year("2020/2022", "Учебный год")
    assert "второй год" in exc.value.message


def test_parse_bool_int_decimal():
    assert parse_bool("да", "Школа-лидер") is True
    assert parse_bool("НЕТ", "Школа-лидер") is False
    assert parse_bool(None, "Школа-лидер", default=False) is False
    with pytest.raises(RowError):
        parse_bool("может быть", "Школа-лидер")
    assert parse_int("17", "Педагогов") == 17
    assert parse_int(17.0, "Педагогов") == 17
    with pytest.raises(RowError) as exc:
        parse_int("-3", "Педагогов")
    assert "меньше допустимого" in exc.value.message
    with pytest.raises(RowError):
        parse_int("семнадцать", "Педагогов")
    assert parse_decimal("3,58", "Средний балл") == Decimal("3.58")
    assert parse_decimal(3.5, "Средний балл") == Decimal("3.5")


# -- hostile and broken files ------------------------------------------------------------------


def _school_count_unchanged(data, **kwargs):
    before = School.objects.count()
    result = run_import(data, by_command=True, **kwargs)
    assert School.objects.count() == before
    assert not result.ok
    return result


@pytest.mark.django_db
def test_not_a_zip_is_rejected_in_russian():
    result = _school_count_unchanged(b"%PDF-1.4 this is not a workbook")
    assert result.error_lines() == ["Файл не является книгой Excel (.xlsx)."]


@pytest.mark.django_db
def test_zip_that_is_not_a_workbook_is_rejected():
    result = _school_count_unchanged(plain_zip())
    assert result.error_lines() == ["Файл не является книгой Excel (.xlsx)."]


@pytest.mark.django_db
def test_zip_bomb_is_rejected_before_parsing():
    result = _school_count_unchanged(zip_bomb())
    assert len(result.errors) == 1
    assert "zip-бомба" in result.error_lines()[0]


@pytest.mark.django_db
def test_too_many_zip_entries_are_rejected(settings):
    settings.WORKBOOK_MAX_ZIP_ENTRIES = 50
    result = _school_count_unchanged(too_many_entries(60))
    assert "слишком много частей" in result.error_lines()[0]


@pytest.mark.django_db
def test_too_large_uncompressed_is_rejected(settings):
    settings.WORKBOOK_MAX_UNCOMPRESSED_BYTES = 1024
    result = _school_count_unchanged(make_workbook({"ОО": [OO]}))
    assert "распакованный объём" in result.error_lines()[0]


@pytest.mark.django_db
def test_too_large_file_is_rejected(settings, tmp_path):
    settings.WORKBOOK_MAX_BYTES = 1000
    path = tmp_path / "big.xlsx"
    path.write_bytes(make_workbook({"ОО": [OO] + [["X"] * 8] * 200}))
    result = _school_count_unchanged(path)
    assert result.error_lines()[0].startswith("Файл слишком большой")


@pytest.mark.django_db
def test_corrupt_workbook_gets_a_message_not_a_traceback():
    result = _school_count_unchanged(corrupt_workbook())
    assert "Не удалось прочитать книгу Excel" in result.error_lines()[0]


# -- structure ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_missing_required_column_is_one_error_naming_sheet_and_column(municipality):
    header = [c for c in OO if c != "Тип"]
    result = run_import(make_workbook({"ОО": [header, ["N1", "Школа", municipality.code]]}), by_command=True)
    assert len(result.errors) == 1
    assert result.errors[0].sheet == "ОО"
    assert "«Тип»" in result.errors[0].message


@pytest.mark.django_db
def test_unknown_sheets_and_extra_columns_are_ignored(municipality):
    data = make_workbook(
        {
            "Лист1": [["что-то"], ["ещё"]],
            "ОО": [OO + ["Примечание"], ["N1", "МОУ «Новая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет", "x"]],
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"ОО": (1, 0)}


@pytest.mark.django_db
def test_workbook_without_known_sheets_is_an_error():
    result = run_import(make_workbook({"Лист1": [["a"]]}), by_command=True)
    assert "нет ни одного известного листа" in result.error_lines()[0]


@pytest.mark.django_db
def test_rows_per_sheet_are_capped(settings, municipality):
    settings.WORKBOOK_MAX_ROWS = 3
    rows = [[f"N{i}", f"Школа {i}", municipality.code, "СОШ", "", 1, 1, "нет"] for i in range(5)]
    result = _school_count_unchanged(make_workbook({"ОО": [OO, *rows]}))
    assert "слишком много строк" in result.error_lines()[0]


@pytest.mark.django_db
def test_control_characters_are_stripped_from_text(municipality):
    data = make_workbook({"ОО": [OO, ["N1", "МОУ «НоваяCTRL7 СОШ»CTRL27", municipality.code, "СОШ", "", 1, 1, "нет"]]})
    # openpyxl refuses to write such characters; Excel stores them escaped as _xHHHH_.
    data = _inject_control_chars(data)
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert School.objects.get(code="N1").name == "МОУ «Новая СОШ»"


def _inject_control_chars(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {}
    for info in source.infolist():
        content = source.read(info.filename)
        entries[info.filename] = content.replace(b"CTRL7", b"_x0007_").replace(b"CTRL27", b"_x001B_")
    return zip_bytes(entries)


# -- atomicity and error positions -------------------------------------------------------------


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_names_the_cell(municipality):
    rows = [
        OO,
        ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "Иванов И.И.", 10, 100, "нет"],
        ["N2", "МОУ «Вторая СОШ»", municipality.code, "СОШ", "Петров П.П.", "много", 100, "нет"],
        ["N3", "МОУ «Третья СОШ»", municipality.code, "СОШ", "Сидоров С.С.", 12, 100, "нет"],
    ]
    before = School.objects.count()
    result = run_import(make_workbook({"ОО": rows}), by_command=True)
    assert School.objects.count() == before
    assert result.error_lines() == ["ОО!F3: ожидается целое число, получено «много»"]


@pytest.mark.django_db
def test_error_in_a_later_sheet_rolls_back_earlier_sheets(municipality):
    data = make_workbook(
        {
            "ОО": [OO, ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"]],
            "Реестр": [REESTR, ["N1", "2020/2021", "ШНОР", "", "01.09.2020", "", "", "", "НЕТ-ТАКОЙ"]],
        }
    )
    result = run_import(data, by_command=True)
    assert result.error_lines() == ["Реестр!I2: ОО с кодом или наименованием «НЕТ-ТАКОЙ» не найдена"]
    assert not School.objects.filter(code="N1").exists()
    assert RegistryEntry.objects.count() == 0


@pytest.mark.django_db
def test_later_sheet_sees_objects_created_by_earlier_sheet(municipality):
    data = make_workbook(
        {
            "Реестр": [REESTR, ["N1", "2020/2021", "ШНОР", "Основание", "01.09.2020", "", "", "", ""]],
            "ОО": [OO, ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"]],
        }
    )
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert result.counts == {"ОО": (1, 0), "Реестр": (1, 0)}
    assert RegistryEntry.objects.get().school.code == "N1"


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_counts(municipality):
    school = f.SchoolFactory(municipality=municipality, code="N0", teachers_count=5)
    data = make_workbook(
        {
            "ОО": [
                OO,
                ["N0", school.name, municipality.code, "СОШ", "", 6, "", ""],
                ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"],
            ]
        }
    )
    result = run_import(data, by_command=True, dry_run=True)
    assert result.ok
    assert result.counts == {"ОО": (1, 1)}
    assert [c.action for c in result.changes] == ["update", "create"]
    assert result.changes[0].text == f"N0 «{school.name}»: педагогов: 5 → 6"
    assert not School.objects.filter(code="N1").exists()
    school.refresh_from_db()
    assert school.teachers_count == 5


@pytest.mark.django_db
def test_bad_row_does_not_cause_spurious_errors_in_later_sheets(municipality):
    data = make_workbook(
        {
            "ОО": [
                OO,
                ["N1", "МОУ «Первая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"],
                ["N2", "МОУ «Вторая СОШ»", municipality.code, "СОШ", "", -1, 100, "нет"],
            ],
            "Реестр": [REESTR, ["N1", "2020/2021", "ШНОР", "", "01.09.2020", "", "", "", ""]],
        }
    )
    result = run_import(data, by_command=True)
    assert result.error_lines() == ["ОО!F3: значение -1 меньше допустимого (0)"]
    assert not School.objects.filter(code__in=["N1", "N2"]).exists()
    assert RegistryEntry.objects.count() == 0


def test_normalize_name_ignores_spacing_entirely():
    document = "организация индивидуальной работы с обучающимися(в том числе дополнительной и по ИОМ)"
    catalogue = "Организация индивидуальной работы с обучающимися (в том числе дополнительной и по ИОМ)"
    assert normalize_name(document) == normalize_name(catalogue)
