"""xlsx export of the coverage tables (an exporter of `core.exporters`)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from core.calendar import date_text, datetime_text
from core.exporters import XLSX_CONTENT_TYPE, Exporter, ExportResult, register, safe_cell

from .selectors.tables import SCHOOL_TABLES, coverage_context


def _cell(ws: Any, value: Any, *, bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


@register
class CoverageExporter(Exporter):
    """The coverage page's tables as a workbook: indicators and activity types, then per school."""

    identifier = "coverage-xlsx"
    verbose_name = gettext_lazy("Охват ШНОР/ШФНСУ (xlsx)")

    def __init__(self, *, data: dict[str, Any], computed_at: dt.datetime | None = None) -> None:
        self.data = data
        self.computed_at = computed_at

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        data, computed_at = self.data, self.computed_at
        ctx = coverage_context(data)
        wb = Workbook(write_only=True)
        period = f"{date_text(data['period']['from'])}–{date_text(data['period']['to'])}"
        stamp = datetime_text(computed_at) if computed_at else ""

        ws = wb.create_sheet("Охват")
        ws.column_dimensions["A"].width = 90
        ws.column_dimensions["B"].width = 18
        ws.column_dimensions["C"].width = 12
        ws.column_dimensions["D"].width = 12
        row = lambda *values, bold=False: ws.append([_cell(ws, v, bold=bold) for v in values])  # noqa: E731
        row(f"Охват ШНОР/ШФНСУ: {data['scope']['name']}, период {period}", bold=True)
        if stamp:
            row(f"Данные на {stamp}")
        row(f"ОО в области охвата: {data['total']}")
        if data["not_approved_reports"]:
            row(f"Не утверждено отчётов (не учитываются): {data['not_approved_reports']}")
        row()
        row("Показатель", "Значение", "Количество ОО", "Всего ОО", bold=True)
        for i in ctx["indicator_rows"]:
            row(i["name"], i["text"], i["count"], data["total"])
        for d in ctx["direction_rows"]:
            row()
            row(d["name"], "Значение", "Количество ОО", "Всего ОО", bold=True)
            for t in d["types"]:
                row(t["name"], t["text"], t["count"], data["total"])

        ws = wb.create_sheet("По ОО")
        headers = ["Код ОО", "ОО", "Муниципалитет", "Категория", "Даты посещений", "Выполнено мероприятий"]
        for _, title, columns in SCHOOL_TABLES:
            headers.extend(f"{title}: {header}" for _, header, _ in columns)
        ws.column_dimensions["B"].width = 50
        ws.column_dimensions["E"].width = 40
        ws.append([_cell(ws, h, bold=True, wrap=True) for h in headers])
        for s in ctx["school_rows"]:
            values: list[Any] = [
                s["code"],
                s["name"],
                s["municipality"],
                s["category"],
                s["visits_text"],
                s["done_lines"],
            ]
            for key, _, _ in SCHOOL_TABLES:
                values.extend(s["tables"][key])
            ws.append([_cell(ws, v) for v in values])

        buffer = io.BytesIO()
        wb.save(buffer)
        filename = f"ohvat_{data['scope']['code']}_{data['period']['from']}_{data['period']['to']}.xlsx"
        return filename, XLSX_CONTENT_TYPE, buffer.getvalue()
