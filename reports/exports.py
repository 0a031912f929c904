"""The exports of analytical references: the tables of a reference as xlsx (an exporter of
`core.exporters`), and a ZIP archive streamed file by file."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from core.exporters import XLSX_CONTENT_TYPE, Exporter, ExportResult, register, safe_cell

from .document import Table

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


_INT = re.compile(r"^-?\d{1,9}$")
_DEC = re.compile(r"^-?\d{1,9},\d{1,4}$")
SHEET_TITLE_MAX = 31  # Excel's limit


def _typed(ws: Any, value: Any, *, font: Font | None = None) -> WriteOnlyCell:
    """A cell of the sheet: counts and percentages printed as «13» / «81,25» become numbers with a
    number format (Excel shows the decimal comma by its locale); the rest stays safe text."""
    if isinstance(value, str) and _INT.match(value):
        cell = WriteOnlyCell(ws, value=int(value))
        cell.number_format = "0"
    elif isinstance(value, str) and _DEC.match(value):
        cell = WriteOnlyCell(ws, value=float(value.replace(",", ".")))
        cell.number_format = "0." + "0" * len(value.split(",")[1])
    else:
        cell = WriteOnlyCell(ws, value=safe_cell(value))
    if font is not None:
        cell.font = font
    return cell


def _shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters at the last word boundary (mid-word only for one long word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rfind(" ")
    short = text[:cut] if cut > 0 else text[:limit]
    return short.rstrip(" ,.;:-–—(") or text[:limit]


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet name of at most 31 characters ending on a word, unique in the workbook (« (2)» …)."""
    base = " ".join(_SHEET_BAD.sub(" ", title).split()).strip("'") or "Лист"
    name, n = _shorten(base, SHEET_TITLE_MAX), 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = _shorten(base, SHEET_TITLE_MAX - len(suffix)) + suffix
        n += 1
    used.add(name.casefold())
    return name


@register
class ReferenceXlsxExporter(Exporter):
    """The tables of a reference, one sheet each, headed like the PDF (write-only, streamed rows)."""

    identifier = "reference-xlsx"
    verbose_name = _("Таблицы аналитической справки (xlsx)")

    def __init__(self, *, doc: dict[str, Any], filename_stem: str) -> None:
        self.doc = doc
        self.filename_stem = filename_stem

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        doc = self.doc
        wb = Workbook(write_only=True)
        used: set[str] = set()
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        info = wb.create_sheet(_sheet_title("Справка", used))
        for label, value in (
            ("Документ", doc["title"]),
            ("Территория", doc["scope"]["name"]),
            ("Орган управления образованием", doc["scope"].get("authority", "")),
            ("Период", doc["period_text"]),
            ("ОО в перечне ШНОР/ШФНСУ", doc["total"]),
        ):
            label_cell = WriteOnlyCell(info, value=label)
            label_cell.font = bold
            info.append([label_cell, safe_cell(value)])
        info.append([])
        for item in doc["indicators"]:
            info.append([safe_cell(item["name"]), safe_cell(item["value"])])
        tables: Iterable[Table] = doc["all_tables"]
        for table in tables:
            ws = wb.create_sheet(_sheet_title(table.title, used))
            ws.column_dimensions["A"].width = 50
            title = WriteOnlyCell(ws, value=safe_cell(table.title))
            title.font = bold
            ws.append([title])
            header = []
            for text in table.flat_header:
                cell = WriteOnlyCell(ws, value=safe_cell(text))
                cell.font = bold
                cell.alignment = wrap
                header.append(cell)
            ws.append(header)
            for row in table.rows:
                ws.append([_typed(ws, v) for v in row])
            for row in table.foot:
                ws.append([_typed(ws, v, font=bold) for v in row])
            for note in table.notes:
                ws.append([safe_cell(note)])
        buffer = io.BytesIO()
        wb.save(buffer)
        return f"{self.filename_stem}.xlsx", XLSX_CONTENT_TYPE, buffer.getvalue()


class _ChunkSink(io.RawIOBase):
    """A write-only, non-seekable stream whose written bytes are collected and drained by the caller."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_zip(entries: Iterable[tuple[str, Any]]) -> Iterator[bytes]:
    """Yield a ZIP archive chunk by chunk; `entries` yields (name, callable returning bytes) lazily,
    so only one file is in memory at a time."""
    sink = _ChunkSink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, load in entries:
            with archive.open(name, mode="w") as target:
                target.write(load())
            chunk = sink.drain()
            if chunk:
                yield chunk
    tail = sink.drain()
    if tail:
        yield tail
