"""Checks shared by the schools services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_YEAR = 2000


MAX_YEAR = 2100


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _check_year(errors: dict[str, str], field: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors[field] = _("Год должен быть в пределах %(min)s–%(max)s, указано: %(year)s.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
            "year": year,
        }
