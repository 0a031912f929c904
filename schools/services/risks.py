"""A school's risk profile and the causes of its low results."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User

from ..models import (
    LowResultCause,
    RiskLevel,
    RiskProfileEntry,
    School,
)
from ..permissions import require_school_editor
from ..selectors.directory import risk_factors_for_year
from .common import _check_year, _raise


@transaction.atomic
def risk_profile_save(*, user: User | None, school: School, year: int, levels: Mapping[int, str]) -> int:
    """Set the level of each factor of the year's catalogue version (`levels`: factor id → level,
    "" for "not assessed", which removes the level). Returns how many factors changed."""
    require_school_editor(user, school)
    errors: dict[str, str] = {}
    _check_year(errors, "year", year)
    _raise(errors)
    factors = risk_factors_for_year(year)
    if not factors:
        raise ValidationError(_("В каталоге нет факторов риска, применимых к %(year)s году.") % {"year": year})
    known = {factor.pk for factor in factors}
    unknown = set(levels) - known
    if unknown:
        raise ValidationError(_("Факторы риска не относятся к версии каталога этого года."))
    for factor in factors:
        level = levels.get(factor.pk, "")
        if level and level not in RiskLevel.values:
            _raise(
                {
                    f"factor_{factor.pk}": _("Недопустимый уровень риска «%(level)s» для фактора «%(factor)s».")
                    % {"level": level, "factor": factor.name}
                }
            )

    existing = {
        entry.factor_id: entry
        for entry in RiskProfileEntry.objects.select_for_update().filter(school=school, year=year, factor_id__in=known)
    }
    changed = 0
    for factor in factors:
        level = levels.get(factor.pk, "")
        entry = existing.get(factor.pk)
        if entry is None and level:
            entry = RiskProfileEntry(school=school, year=year, factor=factor, level=level)
            entry._history_user = user
            entry.save()
        elif entry is not None and not level:
            entry._history_user = user
            entry.delete()
        elif entry is not None and entry.level != level:
            entry.level = level
            entry._history_user = user
            entry.save(update_fields=["level"])
        else:
            continue
        changed += 1
    return changed


def _validate_cause(year: int, description: str) -> str:
    errors: dict[str, str] = {}
    _check_year(errors, "year", year)
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Опишите причину низких результатов.")
    _raise(errors)
    return description


@transaction.atomic
def cause_create(*, user: User | None, school: School, year: int, description: str) -> LowResultCause:
    """Record a cause of low results for the school and year."""
    require_school_editor(user, school)
    description = _validate_cause(year, description)
    cause = LowResultCause(school=school, year=year, description=description)
    cause._history_user = user
    cause.save()
    return cause


@transaction.atomic
def cause_update(*, user: User | None, cause: LowResultCause, year: int, description: str) -> LowResultCause:
    require_school_editor(user, cause.school)
    description = _validate_cause(year, description)
    cause.year = year
    cause.description = description
    cause._history_user = user
    cause.save(update_fields=["year", "description"])
    return cause


@transaction.atomic
def cause_delete(*, user: User | None, cause: LowResultCause) -> None:
    require_school_editor(user, cause.school)
    cause._history_user = user
    cause.delete()
