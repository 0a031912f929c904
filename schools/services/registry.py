"""The registry: a school's entry of an academic year, its exclusion."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.calendar import academic_year_bounds, academic_year_label, date_text
from core.models import User

from ..models import (
    Category,
    RegistryEntry,
    School,
)
from ..permissions import require_school_editor
from .archive import require_active
from .common import _check_year, _raise


class RegistryEntryData(TypedDict):
    academic_year: int
    category: str
    basis: str
    included_on: dt.date
    excluded_on: dt.date | None
    exclusion_reason: str


def _validate_exclusion(errors: dict[str, str], included_on: dt.date, excluded_on: dt.date | None, reason: str) -> None:
    if excluded_on is not None:
        if excluded_on < included_on:
            errors["excluded_on"] = _(
                "Дата исключения (%(excluded)s) не может быть раньше даты включения (%(included)s)."
            ) % {"excluded": date_text(excluded_on), "included": date_text(included_on)}
        if not reason:
            errors["exclusion_reason"] = _("Укажите обоснование исключения: без него дату исключения сохранить нельзя.")
    elif reason:
        errors["excluded_on"] = _("Укажите дату исключения или очистите поле «Обоснование исключения».")


def _validate_within_year(
    errors: dict[str, str], year: int, included_on: dt.date | None, excluded_on: dt.date | None
) -> None:
    """An entry is active at most until 31 August that ends its academic year, so neither date may
    fall after it (the inclusion may precede 1 September: lists are approved in summer)."""
    year_end = academic_year_bounds(year)[1]
    label = academic_year_label(year)
    if included_on is not None and included_on > year_end:
        errors.setdefault(
            "included_on",
            _("Дата включения (%(date)s) позже окончания %(year)s учебного года (%(end)s).")
            % {"date": date_text(included_on), "year": label, "end": date_text(year_end)},
        )
    if excluded_on is not None and excluded_on > year_end:
        errors.setdefault(
            "excluded_on",
            _("Дата исключения (%(date)s) позже окончания %(year)s учебного года (%(end)s).")
            % {"date": date_text(excluded_on), "year": label, "end": date_text(year_end)},
        )


def registry_entry_save(
    *, user: User | None, school: School, data: RegistryEntryData, entry: RegistryEntry | None = None
) -> RegistryEntry:
    """Create the school's registry entry for an academic year, or update `entry`.

    A school has at most one entry per academic year; an exclusion needs a date not before the
    inclusion and a justification.
    """
    require_school_editor(user, school)
    if entry is not None and entry.school_id != school.pk:
        raise ValueError("entry belongs to another school")
    if entry is None:
        require_active(school)
    year = int(data["academic_year"])
    category = data["category"]
    basis = (data.get("basis") or "").strip()
    included_on = data["included_on"]
    excluded_on = data.get("excluded_on")
    reason = (data.get("exclusion_reason") or "").strip()

    errors: dict[str, str] = {}
    _check_year(errors, "academic_year", year)
    if category not in Category.values:
        errors["category"] = _("Выберите категорию: ШНОР или ШФНСУ.")
    if "academic_year" not in errors:
        duplicate = RegistryEntry.objects.filter(school=school, academic_year=year)
        if entry is not None:
            duplicate = duplicate.exclude(pk=entry.pk)
        if duplicate.exists():
            errors["academic_year"] = _(
                "У этой ОО уже есть запись реестра за %(year)s учебный год; измените существующую запись."
            ) % {"year": academic_year_label(year)}
    _validate_exclusion(errors, included_on, excluded_on, reason)
    if "academic_year" not in errors:
        _validate_within_year(errors, year, included_on, excluded_on)
    _raise(errors)

    if entry is None:
        entry = RegistryEntry(school=school)
    entry.academic_year = year
    entry.category = category
    entry.basis = basis
    entry.included_on = included_on
    entry.excluded_on = excluded_on
    entry.exclusion_reason = reason if excluded_on else ""
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry._history_user = user
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # a concurrent save of the same school and year
        raise ValidationError(
            {
                "academic_year": [
                    _("У этой ОО уже есть запись реестра за %(year)s учебный год.")
                    % {"year": academic_year_label(year)}
                ]
            }
        ) from exc
    return entry


def open_registry_entry(school: School) -> RegistryEntry | None:
    """The school's latest registry entry that has not been closed by an exclusion."""
    return RegistryEntry.objects.filter(school=school, excluded_on__isnull=True).order_by("-academic_year").first()


@transaction.atomic
def school_exclude(*, user: User | None, school: School, excluded_on: dt.date, reason: str) -> RegistryEntry:
    """Exclude the school from the registry: close its open entry with a date and a justification."""
    require_school_editor(user, school)
    entry = (
        RegistryEntry.objects.select_for_update()
        .filter(school=school, excluded_on__isnull=True)
        .order_by("-academic_year")
        .first()
    )
    if entry is None:
        raise ValidationError(_("ОО не состоит в реестре (нет записи без даты исключения): исключать нечего."))
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if excluded_on is None:
        errors["excluded_on"] = _("Укажите дату исключения.")
    else:
        _validate_exclusion(errors, entry.included_on, excluded_on, reason)
        _validate_within_year(errors, entry.academic_year, None, excluded_on)
    _raise(errors)
    entry.excluded_on = excluded_on
    entry.exclusion_reason = reason
    entry._history_user = user
    entry.save(update_fields=["excluded_on", "exclusion_reason"])
    return entry
