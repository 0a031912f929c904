"""Exact percentages and their Russian printing: `11/17` → «64,71», counts next to percents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def percent(count: int | Decimal, total: int | Decimal, places: int = 2) -> Decimal | None:
    """count/total × 100, exactly, rounded half-up to `places`; None when total is 0."""
    if not total:
        return None
    value = Decimal(count) * HUNDRED / Decimal(total)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def mean(values: list[Decimal], places: int = 2) -> Decimal | None:
    """The arithmetic mean, rounded half-up to `places` like every printed figure; None for no values."""
    if not values:
        return None
    total = sum((Decimal(v) for v in values), Decimal(0))
    return (total / len(values)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal | int | float | None, places: int = 2, empty: str = "–") -> str:
    """Russian decimal comma, half-up: Decimal("64.705") → «64,71»; None → «–»."""
    if value is None:
        return empty
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    return text.replace(".", ",")


def format_number(value: Decimal | int | float | None, empty: str = "–") -> str:
    """A score or count as officials print it: no trailing zeros, decimal comma (3,5 · 46,3 · 51)."""
    if value is None:
        return empty
    d = Decimal(str(value))
    d = d.to_integral_value() if d == d.to_integral_value() else d.normalize()  # no quantize: 30 digits overflow it
    return f"{d:f}".replace(".", ",")


def format_percent(count: int, total: int, places: int = 2, empty: str = "—") -> str:
    """«64,71»; «—» when there is nothing to divide by."""
    value = percent(count, total, places)
    return empty if value is None else format_decimal(value, places)


def format_count_percent(count: int, total: int, places: int = 2) -> str:
    """«13 (81,25%)»; with no schools in scope, «0 (0,00%)»."""
    value = percent(count, total, places)
    if value is None:
        value = Decimal(0)
    return f"{count} ({format_decimal(value, places)}%)"


def format_ratio(numerator: int | Decimal | None, denominator: int | None) -> str:
    """«11/17»; «–» when either part is missing."""
    if numerator is None or denominator is None:
        return "–"
    return f"{format_number(numerator)}/{denominator}"
