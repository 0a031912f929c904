"""The import workbook template (an exporter of `core.exporters`): all sheets of the contract,
catalogue drop-downs, the scope's schools filled in. Written with openpyxl `write_only`, so a
region-wide file streams row by row; every text cell goes through `safe_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.exporters import XLSX_CONTENT_TYPE, Exporter, ExportResult, register, safe_cell
from core.registry import Catalogue, template_catalogues, template_rows

# The contract's sheets and header rows, exactly (docs/contracts.md → The workbook).
CONTRACT_SHEETS: dict[str, tuple[str, ...]] = {
    "Муниципалитеты": ("Код", "Наименование", "Код региона", "Регион", "Орган управления образованием", "Руководитель"),
    "ОО": ("Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"),
    "Реестр": (
        "Код ОО",
        "Учебный год",
        "Категория",
        "Основание",
        "Дата включения",
        "Дата исключения",
        "Обоснование исключения",
        "Куратор",
        "Школа-наставник",
    ),
    "Показатели": ("Код ОО", "Период с", "Период по", "Показатель", "Значение", "Из", "Комментарий"),
    "Результаты": ("Код ОО", "Год", "Процедура", "Предмет", "Средний балл"),
    "Мероприятия": (
        "Код ОО",
        "Квартал",
        "Направление",
        "Вид мероприятия",
        "Мероприятие",
        "Срок",
        "Статус",
        "Результат",
    ),
    "Посещения": ("Код ОО", "Дата", "Цель", "Участники", "Результат"),
}

CATALOGUE_SHEET = "Справочники"

# Column widths in characters; anything else gets DEFAULT_WIDTH.
WIDTHS = {
    "Код": 12,
    "Код ОО": 12,
    "Наименование": 48,
    "Муниципалитет": 30,
    "Регион": 28,
    "Код региона": 12,
    "Орган управления образованием": 48,
    "Руководитель": 24,
    "Директор": 24,
    "Основание": 40,
    "Обоснование исключения": 48,
    "Куратор": 30,
    "Школа-наставник": 36,
    "Показатель": 48,
    "Мероприятие": 48,
    "Результат": 40,
    "Вид мероприятия": 40,
    "Направление": 36,
    "Цель": 40,
    "Участники": 30,
    "Комментарий": 36,
    "Предмет": 20,
}
DEFAULT_WIDTH = 16
VALIDATION_ROWS = 5000

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "да" if value else "нет"
    return safe_cell(value)


# Which catalogue feeds which column (the catalogues' values come from the apps).
VALIDATED_COLUMNS = {
    ("ОО", "Муниципалитет"): "Муниципалитеты",
    ("ОО", "Школа-лидер"): "Да/нет",
    ("Реестр", "Категория"): "Категории",
    ("Показатели", "Показатель"): "Показатели",
    ("Результаты", "Процедура"): "Процедуры",
    ("Мероприятия", "Направление"): "Направления",
    ("Мероприятия", "Вид мероприятия"): "Виды мероприятий",
    ("Мероприятия", "Статус"): "Статусы",
}


def _header(ws: Any, columns: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = HEADER_BORDER
        cells.append(cell)
    return cells


def _row(ws: Any, values: Iterable[Any]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=_value(value))
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = "DD.MM.YYYY"
        cells.append(cell)
    return cells


@dataclass
class TemplateScope:
    """What one template is filled with: these schools and municipalities (querysets of the app that owns
    them); `cache` lets an app share what its catalogues and its rows both need."""

    schools: QuerySet
    municipalities: QuerySet
    cache: dict[str, Any] = field(default_factory=dict)


def _yes_no(scope: TemplateScope) -> list[str]:
    return ["да", "нет"]


template_catalogues.register(Catalogue("Да/нет", _yes_no), order=100)


def _contract_sheets(wb: Workbook) -> dict[str, Any]:
    """One write-only sheet per contract sheet, in the contract's order, with its widths and frozen header."""
    sheets = {}
    for name, columns in CONTRACT_SHEETS.items():
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, DEFAULT_WIDTH)
        sheets[name] = ws
    return sheets


def _catalogue_sheet(wb: Workbook, catalogues: dict[str, list]) -> tuple[Any, dict[str, str]]:
    """The hidden catalogue sheet (one column per catalogue) and each catalogue's cell range."""
    catalogue_ws = wb.create_sheet(CATALOGUE_SHEET)
    catalogue_ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for index, title in enumerate(catalogues, start=1):
        letter = get_column_letter(index)
        catalogue_ws.column_dimensions[letter].width = 40
        count = max(len(catalogues[title]), 1)
        ranges[title] = f"{quote_sheetname(CATALOGUE_SHEET)}!${letter}$2:${letter}${count + 1}"
    return catalogue_ws, ranges


def _validate_columns(ws: Any, name: str, columns: Iterable[str], ranges: dict[str, str]) -> None:
    """A drop-down from its catalogue on every validated column of the sheet."""
    for index, column in enumerate(columns, start=1):
        catalogue = VALIDATED_COLUMNS.get((name, column))
        if catalogue is None or catalogue not in ranges:
            continue
        letter = get_column_letter(index)
        dv = DataValidation(
            type="list",
            formula1=ranges[catalogue],
            allow_blank=True,
            showErrorMessage=False,  # codes typed by hand are valid too
            promptTitle=column,
            prompt="Выберите значение из списка или введите код",
            showInputMessage=True,
        )
        dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
        ws.data_validations.append(dv)


def _write_rows(sheets: dict[str, Any], scope: TemplateScope) -> None:
    """The rows the apps fill in (`core.registry.template_rows`)."""
    for rows_of in template_rows:
        for name, rows in rows_of(scope).items():
            ws = sheets[name]
            for values in rows:
                ws.append(_row(ws, values))


def _write_catalogues(catalogue_ws: Any, catalogues: dict[str, list]) -> None:
    """The catalogue titles as a header, then their values column by column."""
    catalogue_ws.append(_header(catalogue_ws, catalogues))
    depth = max(len(values) for values in catalogues.values())
    for i in range(depth):
        catalogue_ws.append(
            _row(catalogue_ws, [values[i] if i < len(values) else None for values in catalogues.values()])
        )


def template_render(*, schools: QuerySet, municipalities: QuerySet) -> bytes:
    """The workbook template with these schools and municipalities filled in.

    The sheets and headers are the contract's; the drop-downs and rows come from the apps
    (`core.registry.template_catalogues` and `template_rows`, registered by their `importers.py`).
    """
    scope = TemplateScope(schools=schools, municipalities=municipalities)
    catalogues = {catalogue.title: catalogue.values(scope) for catalogue in template_catalogues}

    wb = Workbook(write_only=True)
    sheets = _contract_sheets(wb)
    catalogue_ws, ranges = _catalogue_sheet(wb, catalogues)
    for name, columns in CONTRACT_SHEETS.items():
        _validate_columns(sheets[name], name, columns, ranges)
        sheets[name].append(_header(sheets[name], columns))
    _write_rows(sheets, scope)
    _write_catalogues(catalogue_ws, catalogues)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_filename(label: str | None = None) -> str:
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return f"shablon-{label}-{stamp}.xlsx" if label else f"shablon-{stamp}.xlsx"


@register
class WorkbookTemplateExporter(Exporter):
    """The import workbook template with these schools and municipalities filled in; `label` (a
    municipality's code, «vse») goes into the file name."""

    identifier = "workbook-template"
    verbose_name = _("Шаблон книги Excel для импорта")

    def __init__(self, *, schools: QuerySet, municipalities: QuerySet, label: str | None = None) -> None:
        self.schools = schools
        self.municipalities = municipalities
        self.label = label

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        content = template_render(schools=self.schools, municipalities=self.municipalities)
        return template_filename(self.label), XLSX_CONTENT_TYPE, content
