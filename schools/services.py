"""Writes of the schools app: the registry, exclusions, curators, partner leader schools, risk
profiles and causes of low results.

Every service validates first (Russian messages keyed by the form field they concern, so a view
can put them next to the field), then writes inside one transaction. History records carry the
acting user (`_history_user`), which is how the card shows who changed what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.calendar import academic_year_bounds, academic_year_label, date_text
from core.models import Membership, Role, User

from .models import (
    Category,
    CuratorAssignment,
    LowResultCause,
    PartnerAssignment,
    RegistryEntry,
    RiskLevel,
    RiskProfileEntry,
    School,
)
from .selectors.directory import risk_factors_for_year

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


# --- Registry -------------------------------------------------------------------------------


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
    if entry is not None and entry.school_id != school.pk:
        raise ValueError("entry belongs to another school")
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


# --- Curators -------------------------------------------------------------------------------


@transaction.atomic
def curator_assign(
    *,
    user: User | None,
    school: School,
    assigned_on: dt.date,
    curator: User | None = None,
    full_name: str = "",
) -> CuratorAssignment:
    """Assign a curator to a school: a user holding the curator role, or a person by full name."""
    name = " ".join((full_name or "").split())
    errors: dict[str, str] = {}
    if curator is not None:
        if not Membership.objects.filter(user=curator, role=Role.CURATOR).exists():
            errors["curator"] = _("У пользователя «%(name)s» нет роли куратора.") % {"name": curator.full_name}
        name = name or curator.full_name
    elif not name:
        errors["curator"] = _("Выберите куратора из списка или впишите его ФИО в поле «ФИО куратора».")
    if assigned_on is None:
        errors["assigned_on"] = _("Укажите дату назначения.")
    _raise(errors)

    active = CuratorAssignment.objects.select_for_update().filter(school=school, unassigned_on__isnull=True)
    same = active.filter(user=curator) if curator is not None else active.filter(user__isnull=True)
    for existing in same:
        if curator is not None or existing.full_name.casefold() == name.casefold():
            raise ValidationError(
                {
                    "curator": [
                        _("%(name)s уже назначен(а) куратором этой ОО с %(date)s.")
                        % {"name": existing.full_name, "date": date_text(existing.assigned_on)}
                    ]
                }
            )
    assignment = CuratorAssignment(school=school, user=curator, full_name=name, assigned_on=assigned_on)
    assignment.full_clean(validate_constraints=False)
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def curator_unassign(*, user: User | None, assignment: CuratorAssignment, unassigned_on: dt.date) -> CuratorAssignment:
    """End a curator's assignment on a date (the history keeps it as a past curator)."""
    assignment = CuratorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.unassigned_on is not None:
        raise ValidationError(
            _("%(name)s уже снят(а) с кураторства %(date)s.")
            % {"name": assignment.full_name, "date": date_text(assignment.unassigned_on)}
        )
    if unassigned_on is None:
        _raise({"unassigned_on": _("Укажите дату снятия.")})
    if unassigned_on < assignment.assigned_on:
        _raise(
            {
                "unassigned_on": _("Дата снятия (%(date)s) не может быть раньше даты назначения (%(assigned)s).")
                % {"date": date_text(unassigned_on), "assigned": date_text(assignment.assigned_on)}
            }
        )
    assignment.unassigned_on = unassigned_on
    assignment._history_user = user
    assignment.save(update_fields=["unassigned_on"])
    return assignment


# --- Partner leader schools -----------------------------------------------------------------


def leader_candidates(school: School):
    """Leader schools of the school's region that may mentor it."""
    return (
        School.objects.filter(is_leader=True, municipality__region_id=school.municipality.region_id)
        .exclude(pk=school.pk)
        .select_related("municipality")
        .order_by("name")
    )


@transaction.atomic
def partner_assign(*, user: User | None, school: School, leader: School, date_from: dt.date) -> PartnerAssignment:
    """Pair the school with a leader (mentor) school of the same region from a date."""
    errors: dict[str, str] = {}
    if leader.pk == school.pk:
        errors["leader"] = _("Школа не может быть наставником самой себе.")
    elif not leader.is_leader:
        errors["leader"] = _("ОО «%(name)s» не отмечена как школа-лидер.") % {"name": leader.name}
    elif leader.municipality.region_id != school.municipality.region_id:
        errors["leader"] = _("Школа-наставник должна быть из того же региона, что и ОО (%(region)s).") % {
            "region": school.municipality.region.name
        }
    if date_from is None:
        errors["date_from"] = _("Укажите дату начала взаимодействия.")
    _raise(errors)
    if (
        PartnerAssignment.objects.select_for_update()
        .filter(school=school, leader=leader, date_to__isnull=True)
        .exists()
    ):
        _raise({"leader": _("ОО «%(name)s» уже является наставником этой школы.") % {"name": leader.name}})
    assignment = PartnerAssignment(school=school, leader=leader, date_from=date_from)
    assignment.full_clean(validate_constraints=False)
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def partner_end(*, user: User | None, assignment: PartnerAssignment, date_to: dt.date) -> PartnerAssignment:
    """End the network interaction with a leader school on a date."""
    assignment = PartnerAssignment.objects.select_for_update().select_related("leader").get(pk=assignment.pk)
    if assignment.date_to is not None:
        raise ValidationError(
            _("Взаимодействие со школой «%(name)s» уже завершено %(date)s.")
            % {"name": assignment.leader.name, "date": date_text(assignment.date_to)}
        )
    if date_to is None:
        _raise({"date_to": _("Укажите дату окончания.")})
    if date_to < assignment.date_from:
        _raise(
            {
                "date_to": _("Дата окончания (%(date)s) не может быть раньше даты начала (%(start)s).")
                % {"date": date_text(date_to), "start": date_text(assignment.date_from)}
            }
        )
    assignment.date_to = date_to
    assignment._history_user = user
    assignment.save(update_fields=["date_to"])
    return assignment


# --- Risk profile ---------------------------------------------------------------------------


@transaction.atomic
def risk_profile_save(*, user: User | None, school: School, year: int, levels: Mapping[int, str]) -> int:
    """Set the level of each factor of the year's catalogue version (`levels`: factor id → level,
    "" for "not assessed", which removes the level). Returns how many factors changed."""
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


# --- Causes of low results ------------------------------------------------------------------


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
    description = _validate_cause(year, description)
    cause = LowResultCause(school=school, year=year, description=description)
    cause._history_user = user
    cause.save()
    return cause


@transaction.atomic
def cause_update(*, user: User | None, cause: LowResultCause, year: int, description: str) -> LowResultCause:
    description = _validate_cause(year, description)
    cause.year = year
    cause.description = description
    cause._history_user = user
    cause.save(update_fields=["year", "description"])
    return cause


@transaction.atomic
def cause_delete(*, user: User | None, cause: LowResultCause) -> None:
    cause._history_user = user
    cause.delete()
