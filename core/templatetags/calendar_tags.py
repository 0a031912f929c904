"""Calendar text in templates: `{% quarter_text year quarter %}` → «1 квартал 2021 г.» (core.calendar)."""

from __future__ import annotations

from django import template

from core import calendar

register = template.Library()


@register.simple_tag
def quarter_text(year: int, quarter: int) -> str:
    return calendar.quarter_text(year, quarter)
