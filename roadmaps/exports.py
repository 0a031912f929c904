"""Export of quarterly report lines to Excel: one row per line, in the columns of the contract's
`Мероприятия` sheet (so the file can be imported back) plus the school's name, its municipality and
the report's status.

`ReportLinesExporter` (an exporter of `core.exporters`) writes the workbook with openpyxl
`write_only` from `values_list(...).iterator()`: no model instances, no per-row queries, memory
bounded by the chunk size rather than by the number of lines. Text cells go through
`core.exporters.safe_cell`, `Срок` is a real date.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from core.calendar import period_string
from core.exporters import XLSX_CONTENT_TYPE, Exporter, ExportResult, register, safe_cell, write_export
from core.exports import CONTRACT_SHEETS, DEFAULT_WIDTH, WIDTHS, _header
from schools.models import School

from .models import ActivityReport, LineStatus, ReportStatus
from .selectors import reported
from .services.report_lines import NEEDS_REASON

SHEET = "Мероприятия"
EXTRA_COLUMNS = ("Наименование ОО", "Муниципалитет", "Статус отчёта")
COLUMNS: tuple[str, ...] = CONTRACT_SHEETS[SHEET] + EXTRA_COLUMNS
CHUNK_SIZE = 2000
FRAGMENT_CACHE = 100_000  # distinct texts kept escaped (names, titles, labels repeat across lines)
EXTRA_WIDTHS = {"Наименование ОО": 48, "Статус отчёта": 22, "Квартал": 10, "Статус": 14}

FIELDS = (
    "report__roadmap__school__code",
    "report__year",
    "report__quarter",
    "reported_direction_name",
    "reported_type_name",
    "reported_title_",
    "reported_due_on_",
    "status",
    "result",
    "reason",
    "report__roadmap__school__name",
    "report__roadmap__school__municipality__name",
    "report__status",
)


# --- the lines ------------------------------------------------------------------------------


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
        # A submitted or approved line is exported with what it reported against (its frozen copy).
        .annotate(
            reported_direction_name=reported("direction__name"),
            reported_type_name=reported("activity_type__name"),
            reported_title_=reported("title"),
            reported_due_on_=reported("due_on"),
        )
        .values_list(*FIELDS)
    )


# --- the file ------------------------------------------------------------------------------


@lru_cache(maxsize=FRAGMENT_CACHE)
def _clean_text(value: str) -> str:
    return safe_cell(value)


def _text(value: str | None) -> str:
    return _clean_text(value) if value else ""


def line_values(row: tuple[Any, ...], line_labels: dict[str, str], report_labels: dict[str, str]) -> list[Any]:
    """One `FIELDS` tuple as the cells of the file, in `COLUMNS` order."""
    (code, year, quarter, direction, kind, title, due_on, status, result, reason, name, municipality, rstatus) = row
    # The importer reads «Результат» as the reason for the statuses that need one.
    text = (reason or result) if status in NEEDS_REASON else (result or reason)
    return [
        _text(code),
        period_string(year, quarter),
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


@register
class ReportLinesExporter(Exporter):
    """The report lines of these schools, quarters `period_from`..`period_to` of `form_data`
    (inclusive, each optional), into a temporary file returned open; `count` is then the number of
    lines written, and `progress(lines written)` is called when the rows start and after each chunk.

    openpyxl lays out the workbook (styles, column widths, frozen header, the header row); the data
    rows are streamed into the sheet's XML as the same inline-string and date cells openpyxl writes,
    but without building an element tree per cell, which made 160,000 lines take minutes.
    """

    identifier = "report-lines"
    verbose_name = _("Отчёты ОО: строки мероприятий (xlsx)")

    def __init__(
        self, *, schools: QuerySet[School] | Iterable[int], progress: Callable[[int], None] | None = None
    ) -> None:
        self.schools = schools
        self.progress = progress or (lambda done: None)
        self.count = 0

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        period_from, period_to = form_data.get("period_from"), form_data.get("period_to")
        line_labels = {str(k): str(v) for k, v in LineStatus.choices}
        report_labels = {str(k): str(v) for k, v in ReportStatus.choices}

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(SHEET)
        ws.freeze_panes = "A2"
        for index, column in enumerate(COLUMNS, start=1):
            width = EXTRA_WIDTHS.get(column) or WIDTHS.get(column, DEFAULT_WIDTH)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.append(_header(ws, COLUMNS))
        date_cell = WriteOnlyCell(ws, value=dt.date(2000, 1, 1))
        date_cell.number_format = "DD.MM.YYYY"
        date_style = date_cell.style_id  # registers the format in the workbook's styles
        skeleton = io.BytesIO()
        wb.save(skeleton)

        rows = export_lines(schools=self.schools, period_from=period_from, period_to=period_to)
        out = tempfile.TemporaryFile()
        try:
            self.count = _write_with_rows(
                skeleton,
                out,
                rows.iterator(chunk_size=CHUNK_SIZE),
                line_labels,
                report_labels,
                date_style,
                self.progress,
            )
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return _lines_filename(period_from, period_to), XLSX_CONTENT_TYPE, out


def _lines_filename(period_from: tuple[int, int] | None, period_to: tuple[int, int] | None) -> str:
    """«otchety-oo-2021-Q1-2021-Q4.xlsx», as `ReportExportJob.filename`; an open bound is left out."""
    bounds = [period_string(*bound) for bound in (period_from, period_to) if bound is not None]
    return "-".join(["otchety-oo", *bounds]) + ".xlsx"


def report_lines_export(
    *,
    path: str | os.PathLike,
    schools: QuerySet[School] | Iterable[int],
    period_from: tuple[int, int] | None = None,
    period_to: tuple[int, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the report lines of these schools (quarters `period_from`..`period_to`, inclusive) to
    an xlsx file at `path`; return the number of lines written. The file appears whole or not at all.
    `progress(lines written)` is called when the rows start and after each chunk."""
    exporter = ReportLinesExporter(schools=schools, progress=progress)
    _, _, content = exporter.render({"period_from": period_from, "period_to": period_to})
    write_export(content, path)
    return exporter.count


SHEET_PART = "xl/worksheets/sheet1.xml"
EXCEL_EPOCH = dt.date(1899, 12, 30)
_LETTERS = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]


def _inline_string(text: str) -> str:
    """The inside of an inline-string cell after `<c r="…" `, as openpyxl writes it."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f't="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row_xml(number: int, values: list[Any], date_style: int, fragments: dict[str, str]) -> str:
    cells = [f'<row r="{number}">']
    for letter, value in zip(_LETTERS, values, strict=True):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            fragment = fragments.get(value)
            if fragment is None:
                if len(fragments) >= FRAGMENT_CACHE:
                    fragments.clear()
                fragment = fragments[value] = _inline_string(value)
            cells.append(f'<c r="{letter}{number}" {fragment}')
        elif isinstance(value, dt.date):
            cells.append(f'<c r="{letter}{number}" s="{date_style}" t="n"><v>{(value - EXCEL_EPOCH).days}</v></c>')
        else:
            cells.append(f'<c r="{letter}{number}" {_inline_string(str(value))}')
    cells.append("</row>")
    return "".join(cells)


def _write_with_rows(
    skeleton: io.BytesIO,
    out: IO[bytes],
    rows: Iterable[tuple[Any, ...]],
    line_labels: dict[str, str],
    report_labels: dict[str, str],
    date_style: int,
    progress: Callable[[int], None],
) -> int:
    """Copy the openpyxl skeleton to `out`, streaming the data rows into the sheet before `</sheetData>`."""
    count = 0
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != SHEET_PART:
                dst.writestr(info, data)
                continue
            head, sep, tail = data.decode("utf-8").partition("</sheetData>")
            if not sep:  # openpyxl wrote no sheetData: never expected, but never lose the rows
                raise RuntimeError("В макете листа нет <sheetData>")
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(part, "w", force_zip64=True) as sheet:
                sheet.write(head.encode("utf-8"))
                progress(0)
                batch: list[str] = []
                fragments: dict[str, str] = {}
                for row in rows:
                    count += 1
                    batch.append(
                        _row_xml(count + 1, line_values(row, line_labels, report_labels), date_style, fragments)
                    )
                    if len(batch) >= CHUNK_SIZE:
                        sheet.write("".join(batch).encode("utf-8"))
                        batch.clear()
                        progress(count)
                sheet.write("".join(batch).encode("utf-8"))
                sheet.write((sep + tail).encode("utf-8"))
    return count
