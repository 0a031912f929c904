"""Typography of the reference PDFs: what must not be split at a line end (docs/reference-layout.md)."""

from __future__ import annotations

import re

from django import template

register = template.Library()

NBSP = "\u00a0"
# A number and what it counts or dates: «2 квартал», «2021 г.», «2020–2021 гг.», «№ 5», «5 чел.».
_TIES = (
    re.compile(r"(?<=\d) (?=(?:квартал|полугоди|г\.|гг\.|года?\b|году\b|чел\.|%))"),
    re.compile(r"(?<=№) (?=\S)"),
)


@register.filter
def nobreak(value: object) -> str:
    """Tie numbers to their words with non-breaking spaces: «2 квартал 2021 г.» can break only
    between «квартал» and «2021», never as «2 квартал 2021 / г.»."""
    text = "" if value is None else str(value)
    for pattern in _TIES:
        text = pattern.sub(NBSP, text)
    return text
