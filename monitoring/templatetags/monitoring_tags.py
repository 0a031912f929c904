"""Russian number printing for monitoring templates."""

from __future__ import annotations

from django import template

from core.numbers import format_number, format_ratio

register = template.Library()


@register.filter
def num(value) -> str:
    """3.50 → «3,5», 51 → «51», None → «–»."""
    return format_number(value)


@register.simple_tag
def ratio(numerator, denominator) -> str:
    return format_ratio(numerator, denominator)
