"""Russian number printing for monitoring templates."""

from __future__ import annotations

from django import template

from core.numbers import format_count_percent, format_number, format_percent, format_ratio

register = template.Library()


@register.filter
def num(value) -> str:
    """3.50 → «3,5», 51 → «51», None → «–»."""
    return format_number(value)


@register.simple_tag
def count_percent(count: int, total: int) -> str:
    return format_count_percent(count, total)


@register.simple_tag
def percent_of(count, total) -> str:
    return format_percent(count, total)


@register.simple_tag
def ratio(numerator, denominator) -> str:
    return format_ratio(numerator, denominator)
