"""Input rules shared by the forms and the workbook importers, with Russian messages that name
the field: counts are whole, non-negative and at most MAX_COUNT, a numerator never exceeds its
denominator, a denominator never exceeds the school's size, an average lies within its procedure's scale."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from core.numbers import format_number

from ..models import Procedure

# (min, max) of an average score per procedure: ВПР/ОГЭ/ГВЭ are marks, ЕГЭ is a 100-point score.
SCALES: dict[str, tuple[Decimal, Decimal]] = {
    Procedure.VPR: (Decimal(2), Decimal(5)),
    Procedure.OGE: (Decimal(2), Decimal(5)),
    Procedure.GVE: (Decimal(2), Decimal(5)),
    Procedure.EGE: (Decimal(0), Decimal(100)),
}
ANY_AVERAGE = (Decimal(0), Decimal(100))

PROCEDURE_LABELS = dict(Procedure.choices)
MAX_COUNT = 1_000_000
"""No count a school reports (pupils, teachers, participants, events) comes near a million: more is a typo."""


def check_count(value: Decimal, field: str) -> int:
    """A whole, non-negative number of people or items."""
    if value < 0:
        raise ValidationError(f"«{field}»: значение не может быть отрицательным ({format_number(value)}).")
    if value != value.to_integral_value():
        raise ValidationError(f"«{field}»: нужно целое число, указано {format_number(value)}.")
    if value > MAX_COUNT:
        raise ValidationError(f"«{field}»: не больше {format_number(MAX_COUNT)}, указано {format_number(value)}.")
    return int(value)


def check_ratio(
    numerator: Decimal,
    denominator: int | None,
    field: str,
    denominator_field: str,
    *,
    size: int = 0,
    size_label: str = "",
) -> tuple[int, int]:
    """Numerator and denominator are whole; 0 < denominator ≤ `size` (the school's pupils or teachers,
    when known: 0 is unknown); numerator ≤ denominator."""
    num = check_count(numerator, field)
    if denominator is None:
        raise ValidationError(f"«{denominator_field}»: укажите, из скольких (например, всего педагогов ОО).")
    den = check_count(Decimal(denominator), denominator_field)
    if den == 0:
        raise ValidationError(f"«{denominator_field}»: знаменатель должен быть больше нуля.")
    if size and den > size:
        raise ValidationError(f"«{denominator_field}»: {den} больше, чем {size_label} ({size}).")
    if num > den:
        raise ValidationError(f"«{field}»: {num} больше, чем «{denominator_field}» ({den}).")
    return num, den


def check_average(value: Decimal, procedure: str, field: str) -> Decimal:
    """An average score within the procedure's scale, with at most two decimals."""
    low, high = SCALES.get(procedure, ANY_AVERAGE)
    label = PROCEDURE_LABELS.get(procedure)
    if value < low or value > high:
        scale = f"шкала {label}: " if label else "допустимо "
        raise ValidationError(
            f"«{field}»: {format_number(value)} вне допустимых значений ({scale}от {format_number(low)} до {format_number(high)})."
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"«{field}»: не более двух знаков после запятой ({format_number(value)}).")
    return value
