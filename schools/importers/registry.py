"""The `Реестр` sheet: a school's registry entry of an academic year, with its curator and partner leader school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.calendar import academic_year_bounds, academic_year_label, date_text
from core.models import Membership, Role, User
from core.scope import curator_active
from core.workbook import (
    ImportContext,
    RowError,
    SheetImporter,
    clean_text,
    normalize_name,
    parse_academic_year,
    parse_choice,
    parse_date,
    parse_text,
    register,
)

from ..models import Category, CuratorAssignment, PartnerAssignment, RegistryEntry, School
from .common import BATCH_SIZE, _apply, _empty, _field_names, _seen


@dataclass
class RegistryRow:
    row: int
    school: School
    year: int
    values: dict[str, Any]
    existing: RegistryEntry | None
    curator: str
    leader: School | None


@register
class RegistryImporter(SheetImporter):
    sheet_name = "Реестр"
    columns = (
        "Код ОО",
        "Учебный год",
        "Категория",
        "Основание",
        "Дата включения",
        "Дата исключения",
        "Обоснование исключения",
        "Куратор",
        "Школа-наставник",
    )
    order = 30

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> RegistryRow | None:
        # The template lists the scope's schools with nothing else filled in: such a row is blank.
        if all(_empty(v) for k, v in row.items() if k != "Код ОО"):
            return None
        school = _registry_school(row["Код ОО"], ctx)
        year = parse_academic_year(row["Учебный год"], "Учебный год")
        _seen(ctx, "registry_keys", (school.pk, year), "Учебный год")
        existing = _registry_entries(ctx, year).get(school.pk)
        year_start, year_end = academic_year_bounds(year)

        values: dict[str, Any] = {}
        if existing is None or not _empty(row["Категория"]):
            values["category"] = parse_choice(row["Категория"], Category, "Категория")
        basis = parse_text(row["Основание"], "Основание")
        if basis:
            values["basis"] = basis
        included_on = parse_date(row["Дата включения"], "Дата включения", required=existing is None)
        if included_on is not None:
            if not (year_start <= included_on <= year_end):
                raise RowError(
                    "Дата включения",
                    _("дата %(d)s вне учебного года %(y)s (%(from)s–%(to)s)")
                    % {
                        "d": date_text(included_on, "—"),
                        "y": academic_year_label(year),
                        "from": date_text(year_start, "—"),
                        "to": date_text(year_end, "—"),
                    },
                )
            values["included_on"] = included_on
        excluded_on = parse_date(row["Дата исключения"], "Дата исключения")
        reason = parse_text(row["Обоснование исключения"], "Обоснование исключения")
        effective_included = included_on or (existing.included_on if existing else None)
        if excluded_on is not None:
            if effective_included and excluded_on < effective_included:
                raise RowError(
                    "Дата исключения",
                    _("дата исключения %(e)s раньше даты включения %(i)s")
                    % {"e": date_text(excluded_on, "—"), "i": date_text(effective_included, "—")},
                )
            if not reason and not (existing and existing.exclusion_reason):
                raise RowError("Обоснование исключения", _("при исключении ОО из реестра укажите обоснование"))
            values["excluded_on"] = excluded_on
        elif reason and not (existing and existing.excluded_on):
            raise RowError("Дата исключения", _("указано обоснование исключения, но не указана дата исключения"))
        if reason:
            values["exclusion_reason"] = reason

        curator = parse_text(row["Куратор"], "Куратор", max_length=255)
        if curator and len(curator.split()) < 2:
            raise RowError("Куратор", _("укажите фамилию, имя и отчество куратора, получено «%(v)s»") % {"v": curator})
        leader = None
        if not _empty(row["Школа-наставник"]):
            leader = ctx.school(row["Школа-наставник"], "Школа-наставник", check_scope=False)
            if leader.pk == school.pk:
                raise RowError("Школа-наставник", _("ОО не может быть наставником самой себе"))
        return RegistryRow(ctx.row_number or 0, school, year, values, existing, curator, leader)

    def write(self, cleaned_rows: list[RegistryRow], ctx: ImportContext) -> tuple[int, int]:
        created = updated = 0
        curator_users = _curator_users()
        new: list[RegistryEntry] = []
        changed_entries: list[RegistryEntry] = []
        changed_fields: set[str] = set()
        for r in cleaned_rows:
            ctx.row_number = r.row
            label = f"{r.school.code} «{r.school.name}», {academic_year_label(r.year)}"
            if r.existing is None:
                entry = RegistryEntry(school=r.school, academic_year=r.year, **r.values)
                _registry_full_clean(entry)
                new.append(entry)
                created += 1
                ctx.change("create", _("запись реестра: %(l)s") % {"l": label})
            else:
                changed = _apply(r.existing, r.values)
                if changed:
                    _registry_full_clean(r.existing)
                    changed_entries.append(r.existing)
                    changed_fields.update(changed)
                    updated += 1
                    ctx.change(
                        "update",
                        _("запись реестра: %(l)s: %(f)s")
                        % {"l": label, "f": _field_names(RegistryEntry, changed, r.existing)},
                    )
            year_start, year_end = academic_year_bounds(r.year)
            if r.curator:
                c, u = _curator_write(r, ctx, curator_users, year_start, year_end, label)
                created += c
                updated += u
            if r.leader is not None:
                c, u = _partner_write(r, ctx, year_start, year_end, label)
                created += c
                updated += u
        ctx.row_number = None
        bulk_create_with_history(new, RegistryEntry, batch_size=BATCH_SIZE, default_user=ctx.user)
        if changed_entries:
            # Every changed entry gets the union of the changed fields: the others keep their values.
            fields = [f.name for f in RegistryEntry._meta.concrete_fields if f.name in changed_fields]
            bulk_update_with_history(
                changed_entries, RegistryEntry, fields, batch_size=BATCH_SIZE, default_user=ctx.user
            )
        return created, updated


def _registry_full_clean(entry: RegistryEntry) -> None:
    """`full_clean()` without its queries: the school comes from the lookup, one entry per school and
    year is ensured by the lookup of the existing entry and the sheet's duplicate check, and the two
    check constraints are evaluated here (Django would ask the database, once per constraint and row)
    with the messages Django gives them."""
    errors: list[ValidationError] = []
    try:
        entry.full_clean(exclude=["school"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.append(exc)
    holds = {
        "registry_excluded_after_included": entry.excluded_on is None
        or (entry.included_on is not None and entry.excluded_on >= entry.included_on),
        "registry_exclusion_needs_reason": entry.excluded_on is None or entry.exclusion_reason != "",
    }
    for constraint in RegistryEntry._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            if constraint.name not in holds:
                constraint.validate(RegistryEntry, entry)  # a constraint added later: Django checks it
            elif not holds[constraint.name]:
                errors.append(
                    ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
                )
    if errors:
        raise ValidationError(errors)


def _registry_school(value: Any, ctx: ImportContext) -> School:
    """The row's school; when it is missing only because its own row on the «ОО» sheet was refused,
    say so and point at that row instead of claiming the school does not exist."""
    try:
        return ctx.school(value, "Код ОО")
    except RowError:
        code = clean_text(value)
        refused_at = ctx.data.get("school_codes", {}).get(code.casefold()) if code else None
        if refused_at and ctx.find_school(code, "Код ОО") is None:
            raise RowError(
                "Код ОО",
                _("ОО «%(v)s» не записана: исправьте её строку %(row)s на листе «ОО»") % {"v": code, "row": refused_at},
            ) from None
        raise


def _registry_entries(ctx: ImportContext, year: int) -> dict[int, RegistryEntry]:
    """The registry entries of an academic year by school id, read once per year of the sheet."""
    cache: dict[int, dict[int, RegistryEntry]] = ctx.data.setdefault("registry_sheet_entries", {})
    if year not in cache:
        cache[year] = {e.school_id: e for e in RegistryEntry.objects.filter(academic_year=year).order_by("pk")}
    return cache[year]


def _curator_users() -> dict[str, list[User]]:
    """Users holding the curator role, by normalised full name."""
    users: dict[str, list[User]] = {}
    ids = Membership.objects.filter(role=Role.CURATOR).values_list("user_id", flat=True)
    for user in User.objects.filter(pk__in=ids, is_active=True):
        users.setdefault(normalize_name(user.full_name), []).append(user)
    return users


def _curator_write(
    r: RegistryRow,
    ctx: ImportContext,
    curator_users: dict[str, list[User]],
    year_start: dt.date,
    year_end: dt.date,
    label: str,
) -> tuple[int, int]:
    """Assign the named curator for the year unless an assignment covering it already exists."""
    key = normalize_name(r.curator)
    matches = curator_users.get(key, [])
    user = matches[0] if len(matches) == 1 else None
    assigned_on = r.values.get("included_on") or (r.existing.included_on if r.existing else year_start)
    for assignment in CuratorAssignment.objects.filter(school=r.school):
        if normalize_name(assignment.full_name) != key:
            continue
        # Any assignment of this curator during the year (from the inclusion on) already covers it.
        if curator_active(assignment, assigned_on, year_end):
            if user is not None and assignment.user_id is None:
                assignment.user = user
                assignment.save(update_fields=["user"])
                ctx.change(
                    "update", _("куратор %(n)s (%(l)s): связан с учётной записью") % {"n": r.curator, "l": label}
                )
                return 0, 1
            return 0, 0
    assignment = CuratorAssignment(school=r.school, user=user, full_name=r.curator, assigned_on=assigned_on)
    assignment.full_clean()
    assignment.save()
    account = _(" (учётная запись %(u)s)") % {"u": user.username} if user else ""
    ctx.change(
        "create",
        _("куратор %(n)s%(a)s: %(l)s с %(d)s")
        % {"n": r.curator, "a": account, "l": label, "d": date_text(assigned_on, "—")},
    )
    return 1, 0


def _partner_write(
    r: RegistryRow, ctx: ImportContext, year_start: dt.date, year_end: dt.date, label: str
) -> tuple[int, int]:
    """Pair the school with its mentor for the academic year unless a pairing already covers it."""
    assert r.leader is not None
    # Any pairing of the two schools during the year already records the interaction.
    covering = PartnerAssignment.objects.filter(school=r.school, leader=r.leader, date_from__lte=year_end).filter(
        Q(date_to__isnull=True) | Q(date_to__gte=year_start)
    )
    if covering.exists():
        return 0, 0
    same_start = PartnerAssignment.objects.filter(school=r.school, leader=r.leader, date_from=year_start).first()
    if same_start is not None:
        # It ends before the year does: extend it to the year's end.
        same_start.date_to = year_end
        same_start.save(update_fields=["date_to"])
        ctx.change(
            "update",
            _("школа-наставник %(leader)s для %(l)s: продлено до %(d)s")
            % {"leader": r.leader.name, "l": label, "d": date_text(year_end, "—")},
        )
        return 0, 1
    assignment = PartnerAssignment(school=r.school, leader=r.leader, date_from=year_start, date_to=year_end)
    assignment.full_clean()
    assignment.save()
    ctx.change("create", _("школа-наставник %(leader)s для %(l)s") % {"leader": r.leader.name, "l": label})
    return 1, 0
