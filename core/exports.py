"""The import workbook template (an exporter of `core.exporters`): all sheets of the contract,
catalogue drop-downs, the scope's schools filled in. Written with openpyxl `write_only`, so a
region-wide file streams row by row; every text cell goes through `safe_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.calendar import academic_year_bounds, academic_year_label, date_text
from core.exporters import XLSX_CONTENT_TYPE, Exporter, ExportResult, register, safe_cell
from schools.models import Category, CuratorAssignment, Municipality, PartnerAssignment, RegistryEntry, School

# The contract's sheets and header rows, exactly (DESIGN.md → Public contracts → Workbook).
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


def _municipality_labels() -> dict[int, str]:
    """How the workbook names each municipality: its name, or its code where another municipality
    (in another region) has the same name, so that the importer can tell them apart."""
    from core.workbook import normalize_name

    rows = list(Municipality.objects.values_list("pk", "code", "name"))
    seen: dict[str, int] = {}
    for _pk, _code, name in rows:
        seen[normalize_name(name)] = seen.get(normalize_name(name), 0) + 1
    return {pk: (name if seen[normalize_name(name)] == 1 else code) for pk, code, name in rows}


def _catalogues(municipalities: Sequence[Municipality], labels: dict[int, str]) -> dict[str, list[str]]:
    """Catalogue name → the values offered in drop-downs (Russian names, which the importer accepts)."""
    from monitoring.models import Indicator, Procedure
    from roadmaps.models import ActivityType, Direction, LineStatus

    return {
        "Категории": [str(label) for _v, label in Category.choices],
        "Направления": list(Direction.objects.order_by("order").values_list("name", flat=True)),
        "Виды мероприятий": list(
            ActivityType.objects.filter(is_active=True)
            .order_by("direction__order", "order")
            .values_list("name", flat=True)
        ),
        "Показатели": list(Indicator.objects.order_by("order", "code").values_list("name", flat=True)),
        "Процедуры": [str(label) for _v, label in Procedure.choices],
        "Статусы": [str(label) for _v, label in LineStatus.choices],
        "Муниципалитеты": [labels[m.pk] for m in municipalities],
        "Да/нет": ["да", "нет"],
    }


# Which catalogue feeds which column.
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


def _overlaps(start: dt.date, end: dt.date | None, year_start: dt.date, year_end: dt.date) -> bool:
    return start <= year_end and (end is None or end >= year_start)


def template_render(*, schools: QuerySet[School], municipalities: QuerySet[Municipality]) -> bytes:
    """The workbook template with these schools and municipalities filled in."""
    municipality_list = list(municipalities.select_related("region").order_by("region__name", "name"))
    schools = (
        schools.select_related("municipality")
        .prefetch_related(
            Prefetch("registry_entries", queryset=RegistryEntry.objects.order_by("academic_year")),
            Prefetch("curator_assignments", queryset=CuratorAssignment.objects.order_by("assigned_on", "pk")),
            Prefetch(
                "partner_assignments",
                queryset=PartnerAssignment.objects.select_related("leader").order_by("date_from", "pk"),
            ),
        )
        .order_by("municipality__name", "code")
    )
    labels = _municipality_labels()
    catalogues = _catalogues(municipality_list, labels)

    wb = Workbook(write_only=True)
    ranges: dict[str, str] = {}
    sheets = {}
    for name, columns in CONTRACT_SHEETS.items():
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, DEFAULT_WIDTH)
        sheets[name] = ws

    catalogue_ws = wb.create_sheet(CATALOGUE_SHEET)
    catalogue_ws.sheet_state = "hidden"
    for index, title in enumerate(catalogues, start=1):
        letter = get_column_letter(index)
        catalogue_ws.column_dimensions[letter].width = 40
        count = max(len(catalogues[title]), 1)
        ranges[title] = f"{quote_sheetname(CATALOGUE_SHEET)}!${letter}$2:${letter}${count + 1}"

    for name, columns in CONTRACT_SHEETS.items():
        ws = sheets[name]
        for index, column in enumerate(columns, start=1):
            catalogue = VALIDATED_COLUMNS.get((name, column))
            if catalogue is None:
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
        ws.append(_header(ws, columns))

    ws = sheets["Муниципалитеты"]
    for m in municipality_list:
        ws.append(_row(ws, [m.code, m.name, m.region.code, m.region.name, m.authority, m.head_name]))

    ws_schools, ws_registry = sheets["ОО"], sheets["Реестр"]
    for school in schools:
        ws_schools.append(
            _row(
                ws_schools,
                [
                    school.code,
                    school.name,
                    labels[school.municipality_id],
                    school.kind,
                    school.director_name,
                    school.teachers_count,
                    school.pupils_count,
                    school.is_leader,
                ],
            )
        )
        entries = list(school.registry_entries.all())
        if not entries:
            ws_registry.append(_row(ws_registry, [school.code]))
        for entry in entries:
            year_start, year_end = academic_year_bounds(entry.academic_year)
            curator = next(
                (
                    c.full_name
                    for c in school.curator_assignments.all()
                    if _overlaps(c.assigned_on, c.unassigned_on, year_start, year_end)
                ),
                "",
            )
            leader = next(
                (
                    p.leader.code
                    for p in school.partner_assignments.all()
                    if _overlaps(p.date_from, p.date_to, year_start, year_end)
                ),
                "",
            )
            ws_registry.append(
                _row(
                    ws_registry,
                    [
                        school.code,
                        academic_year_label(entry.academic_year),
                        entry.get_category_display(),
                        entry.basis,
                        date_text(entry.included_on),
                        date_text(entry.excluded_on),
                        entry.exclusion_reason,
                        curator,
                        leader,
                    ],
                )
            )

    catalogue_ws.append(_header(catalogue_ws, catalogues))
    depth = max(len(values) for values in catalogues.values())
    for i in range(depth):
        catalogue_ws.append(
            _row(catalogue_ws, [values[i] if i < len(values) else None for values in catalogues.values()])
        )

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

    def __init__(
        self, *, schools: QuerySet[School], municipalities: QuerySet[Municipality], label: str | None = None
    ) -> None:
        self.schools = schools
        self.municipalities = municipalities
        self.label = label

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        content = template_render(schools=self.schools, municipalities=self.municipalities)
        return template_filename(self.label), XLSX_CONTENT_TYPE, content
