"""Workbook sheets of monitoring: `Показатели`, `Результаты`, `Посещения`.

The rules are those of the forms (monitoring/services/validation.py, services.visit_check / result_check):
counts whole and non-negative, a numerator within its denominator (by default the school's number
of teachers), averages within the procedure's scale, visits not in the future. Re-importing the
same file updates the same rows instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from core.calendar import date_text
from core.registry import Catalogue, template_catalogues
from core.workbook import (
    ImportContext,
    RowError,
    SheetImporter,
    normalize_name,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    parse_year,
    register,
)
from schools.models import School

from .models import AssessmentResult, Indicator, IndicatorValue, MethodicalVisit, Procedure
from .services import indicator_value_clean, result_check, result_find, visit_check


def _first_message(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


def _seen(ctx: ImportContext, sheet: str, key: tuple, column: str) -> None:
    """Reject a row that repeats an earlier row of the same sheet (same school and key)."""
    seen: dict[tuple, int] = ctx.data.setdefault(f"monitoring:{sheet}", {})
    if key in seen:
        raise RowError(column, f"повторяет строку {seen[key]} этого листа")
    seen[key] = ctx.row_number or 0


# --- Показатели ------------------------------------------------------------------------------


@dataclass
class ValueRow:
    row: int
    school: School
    indicator: Indicator
    period_from: dt.date
    period_to: dt.date
    value: Decimal
    denominator: int | None
    comment: str


@register
class IndicatorValueImporter(SheetImporter):
    sheet_name = "Показатели"
    columns = ("Код ОО", "Период с", "Период по", "Показатель", "Значение", "Из", "Комментарий")
    required_columns = ("Код ОО", "Период с", "Период по", "Показатель", "Значение")
    order = 60

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> ValueRow:
        school = ctx.school(row.get("Код ОО"))
        period_from = parse_date(row.get("Период с"), "Период с", required=True)
        period_to = parse_date(row.get("Период по"), "Период по", required=True)
        assert period_from is not None and period_to is not None
        if period_to < period_from:
            raise RowError("Период по", f"{date_text(period_to)} раньше, чем «Период с» ({date_text(period_from)})")
        indicator = ctx.lookup(
            Indicator.objects.filter(is_active=True), row.get("Показатель"), "Показатель", what="показатель"
        )
        value = parse_decimal(row.get("Значение"), "Значение", required=True, min_value=None)
        denominator = parse_int(row.get("Из"), "Из", min_value=None)
        assert value is not None
        if denominator is not None and indicator.kind != "ratio":
            raise RowError("Из", f"показатель «{indicator.name}» — не доля, «Из» заполнять не нужно")
        try:
            value, denominator = indicator_value_clean(
                indicator=indicator, value=value, denominator=denominator, school=school
            )
        except ValidationError as exc:
            message = _first_message(exc)
            raise RowError("Из" if message.startswith("«Из") else "Значение", message) from None
        comment = parse_text(row.get("Комментарий"), "Комментарий", max_length=2000)
        _seen(ctx, self.sheet_name, (school.pk, indicator.pk, period_from, period_to), "Показатель")
        return ValueRow(ctx.row_number or 0, school, indicator, period_from, period_to, value, denominator, comment)

    def write(self, cleaned_rows: list[ValueRow], ctx: ImportContext) -> tuple[int, int]:
        created = updated = 0
        for r in cleaned_rows:
            ctx.row_number = r.row
            obj = IndicatorValue.objects.filter(
                school=r.school, indicator=r.indicator, period_from=r.period_from, period_to=r.period_to
            ).first()
            period = f"{date_text(r.period_from)}–{date_text(r.period_to)}"
            if obj is None:
                obj = IndicatorValue(
                    school=r.school, indicator=r.indicator, period_from=r.period_from, period_to=r.period_to
                )
                created += 1
                ctx.change("create", f"{r.school.name}: {r.indicator.name} за {period}", row=r.row)
            elif (obj.value, obj.denominator, obj.comment) == (r.value, r.denominator, r.comment):
                continue
            else:
                updated += 1
                ctx.change("update", f"{r.school.name}: {r.indicator.name} за {period}", row=r.row)
            obj.value, obj.denominator, obj.comment = r.value, r.denominator, r.comment
            obj.entered_by = ctx.user
            obj.save()
        return created, updated


# --- Результаты -------------------------------------------------------------------------------


@dataclass
class ResultRow:
    row: int
    school: School
    year: int
    procedure: str
    subject: str
    average: Decimal


@register
class AssessmentResultImporter(SheetImporter):
    sheet_name = "Результаты"
    columns = ("Код ОО", "Год", "Процедура", "Предмет", "Средний балл")
    order = 61

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> ResultRow:
        school = ctx.school(row.get("Код ОО"))
        year = parse_year(row.get("Год"), "Год")
        procedure = parse_choice(row.get("Процедура"), Procedure, "Процедура")
        subject = " ".join(parse_text(row.get("Предмет"), "Предмет", required=True, max_length=100).split())
        average = parse_decimal(row.get("Средний балл"), "Средний балл", required=True, min_value=None)
        assert average is not None
        try:
            average = result_check(year=year, procedure=procedure, subject=subject, average=average)
        except ValidationError as exc:
            message = _first_message(exc)
            column = (
                "Год" if message.startswith("«Год") else "Предмет" if message.startswith("«Предмет") else "Средний балл"
            )
            raise RowError(column, message) from None
        _seen(ctx, self.sheet_name, (school.pk, year, procedure, normalize_name(subject)), "Предмет")
        return ResultRow(ctx.row_number or 0, school, year, procedure, subject, average)

    def write(self, cleaned_rows: list[ResultRow], ctx: ImportContext) -> tuple[int, int]:
        created = updated = 0
        labels = dict(Procedure.choices)
        for r in cleaned_rows:
            ctx.row_number = r.row
            obj = result_find(school=r.school, year=r.year, procedure=r.procedure, subject=r.subject)
            text = f"{r.school.name}: {labels[r.procedure]} {r.year}, {r.subject}"
            if obj is None:
                obj = AssessmentResult(school=r.school, year=r.year, procedure=r.procedure, subject=r.subject)
                created += 1
                ctx.change("create", text, row=r.row)
            elif obj.average == r.average:
                continue
            else:
                updated += 1
                ctx.change("update", text, row=r.row)
            obj.average = r.average
            obj.save()
        return created, updated


# --- Посещения ---------------------------------------------------------------------------------


@dataclass
class VisitRow:
    row: int
    school: School
    date: dt.date
    purpose: str
    visitors: str
    outcome: str


@register
class VisitImporter(SheetImporter):
    sheet_name = "Посещения"
    columns = ("Код ОО", "Дата", "Цель", "Участники", "Результат")
    required_columns = ("Код ОО", "Дата", "Цель", "Участники")
    order = 62

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> VisitRow:
        school = ctx.school(row.get("Код ОО"))
        date = parse_date(row.get("Дата"), "Дата", required=True)
        purpose = parse_text(row.get("Цель"), "Цель", required=True, max_length=5000)
        visitors = parse_text(row.get("Участники"), "Участники", required=True, max_length=1000)
        outcome = parse_text(row.get("Результат"), "Результат", max_length=5000)
        assert date is not None
        try:
            visit_check(date=date, visitors=visitors, purpose=purpose)
        except ValidationError as exc:
            raise RowError("Дата", _first_message(exc)) from None
        _seen(ctx, self.sheet_name, (school.pk, date, normalize_name(purpose)), "Цель")
        return VisitRow(ctx.row_number or 0, school, date, purpose, visitors, outcome)

    def write(self, cleaned_rows: list[VisitRow], ctx: ImportContext) -> tuple[int, int]:
        created = updated = 0
        for r in cleaned_rows:
            ctx.row_number = r.row
            key = normalize_name(r.purpose)
            obj = next(
                (
                    v
                    for v in MethodicalVisit.objects.filter(school=r.school, date=r.date)
                    if normalize_name(v.purpose) == key
                ),
                None,
            )
            text = f"{r.school.name}: посещение {date_text(r.date)}"
            if obj is None:
                obj = MethodicalVisit(school=r.school, date=r.date, purpose=r.purpose, recorded_by=ctx.user)
                created += 1
                ctx.change("create", text, row=r.row)
            elif (obj.visitors, obj.outcome) == (r.visitors, r.outcome):
                continue
            else:
                updated += 1
                ctx.change("update", text, row=r.row)
            obj.visitors, obj.outcome = r.visitors, r.outcome
            obj.save()
        return created, updated


# The drop-downs of the import template (core/exports.py) for the Показатели and Результаты sheets.
template_catalogues.register(
    Catalogue(
        "Показатели", lambda scope: list(Indicator.objects.order_by("order", "code").values_list("name", flat=True))
    ),
    order=40,
)
template_catalogues.register(
    Catalogue("Процедуры", lambda scope: [str(label) for _v, label in Procedure.choices]), order=50
)
