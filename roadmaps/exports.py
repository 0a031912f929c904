"""Export of quarterly report lines to Excel: one row per line, in the columns of the contract's
`Мероприятия` sheet (so the file can be imported back) plus the school's name, its municipality and
the report's status.

The workbook is written with openpyxl `write_only` from `values_list(...).iterator()`: no model
instances, no per-row queries, memory bounded by the chunk size rather than by the number of lines.
Text cells go through `portal.exporting.safe_text` (control characters stripped, a leading
`= + - @` escaped), `Срок` is a real date.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from portal.exporting import CONTRACT_SHEETS, DEFAULT_WIDTH, WIDTHS, _header, safe_text
from portal.models import Role, User
from schools.models import School
from schools.selectors import has_role, schools_for

from .models import ActivityReport, LineStatus, ReportExportJob, ReportStatus
from .services.reports import NEEDS_REASON

SHEET = "Мероприятия"
EXTRA_COLUMNS = ("Наименование ОО", "Муниципалитет", "Статус отчёта")
COLUMNS: tuple[str, ...] = CONTRACT_SHEETS[SHEET] + EXTRA_COLUMNS
EXPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)
CHUNK_SIZE = 2000
DUE_COLUMN = COLUMNS.index("Срок")
TEXT_ERROR_CODES = frozenset(ERROR_CODES)  # «#N/A» typed as text must stay text, not an error cell
EXTRA_WIDTHS = {"Наименование ОО": 48, "Статус отчёта": 22, "Квартал": 10, "Статус": 14}

FIELDS = (
    "report__roadmap__school__code",
    "report__year",
    "report__quarter",
    "activity__direction__name",
    "activity__activity_type__name",
    "activity__title",
    "activity__due_on",
    "status",
    "result",
    "reason",
    "report__roadmap__school__name",
    "report__roadmap__school__municipality__name",
    "report__status",
)


# --- selectors -----------------------------------------------------------------------------


def can_export(user: User) -> bool:
    return has_role(user, *EXPORT_ROLES)


def export_schools_for(user: User) -> QuerySet[School]:
    """The schools whose reports this user may export: a methodist's municipality, a coordinator's
    region, everything for an admin."""
    return schools_for(user, roles=EXPORT_ROLES)


def export_jobs_for(user: User) -> QuerySet[ReportExportJob]:
    """The user's own exports (a file holds their scope's data, so nobody else gets it)."""
    return ReportExportJob.objects.filter(user=user)


def period_q(period_from: tuple[int, int] | None, period_to: tuple[int, int] | None, prefix: str = "report__") -> Q:
    """Reports of quarters from `period_from` to `period_to` inclusive, each bound optional."""
    q = Q()
    if period_from is not None:
        y, qr = period_from
        q &= Q(**{f"{prefix}year__gt": y}) | Q(**{f"{prefix}year": y, f"{prefix}quarter__gte": qr})
    if period_to is not None:
        y, qr = period_to
        q &= Q(**{f"{prefix}year__lt": y}) | Q(**{f"{prefix}year": y, f"{prefix}quarter__lte": qr})
    return q


def export_lines(
    *,
    schools: QuerySet[School] | Iterable[int],
    period_from: tuple[int, int] | None = None,
    period_to: tuple[int, int] | None = None,
) -> QuerySet[ActivityReport]:
    """The report lines to export, as `FIELDS` tuples, in the order of the file."""
    ids = schools if isinstance(schools, QuerySet) else list(schools)
    return (
        ActivityReport.objects.filter(period_q(period_from, period_to), report__roadmap__school__in=ids)
        .order_by(
            "report__roadmap__school__municipality__name",
            "report__roadmap__school__code",
            "report__year",
            "report__quarter",
            "activity__order",
            "activity_id",
            "pk",
        )
        .values_list(*FIELDS)
    )


# --- the file ------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return safe_text(value) if value else ""


def line_values(row: tuple[Any, ...], line_labels: dict[str, str], report_labels: dict[str, str]) -> list[Any]:
    """One `FIELDS` tuple as the cells of the file, in `COLUMNS` order."""
    (code, year, quarter, direction, kind, title, due_on, status, result, reason, name, municipality, rstatus) = row
    # The importer reads «Результат» as the reason for the statuses that need one.
    text = (reason or result) if status in NEEDS_REASON else (result or reason)
    return [
        _text(code),
        f"{year}-Q{quarter}",
        _text(direction),
        _text(kind),
        _text(title),
        due_on,
        line_labels.get(status, ""),
        _text(text),
        _text(name),
        _text(municipality),
        report_labels.get(rstatus, rstatus),
    ]


def report_lines_export(
    *,
    path: str | os.PathLike,
    schools: QuerySet[School] | Iterable[int],
    period_from: tuple[int, int] | None = None,
    period_to: tuple[int, int] | None = None,
) -> int:
    """Write the report lines of these schools (quarters `period_from`..`period_to`, inclusive) to
    an xlsx file at `path`; return the number of lines written. The file appears whole or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    line_labels = {str(k): str(v) for k, v in LineStatus.choices}
    report_labels = {str(k): str(v) for k, v in ReportStatus.choices}

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        width = EXTRA_WIDTHS.get(column) or WIDTHS.get(column, DEFAULT_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append(_header(ws, COLUMNS))

    count = 0
    rows = export_lines(schools=schools, period_from=period_from, period_to=period_to)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        values = line_values(row, line_labels, report_labels)
        due_on = values[DUE_COLUMN]
        if isinstance(due_on, dt.date):
            cell = WriteOnlyCell(ws, value=due_on)
            cell.number_format = "DD.MM.YYYY"
            values[DUE_COLUMN] = cell
        for index, value in enumerate(values):
            if isinstance(value, str) and value in TEXT_ERROR_CODES:
                values[index] = WriteOnlyCell(ws, value=value)
                values[index].data_type = "s"
        ws.append(values)
        count += 1

    partial = target.with_name(f".{target.name}.part")
    try:
        wb.save(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return count
