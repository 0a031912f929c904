"""A school's curators and partner leader schools."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import date_text
from core.models import Membership, Role, User

from ..models import (
    CuratorAssignment,
    PartnerAssignment,
    School,
)
from ..permissions import require_school_editor
from .archive import require_active
from .common import _raise


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
    require_school_editor(user, school)
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
    require_school_editor(user, assignment.school)
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


def leader_candidates(school: School):
    """Leader schools of the school's region that may mentor it."""
    return (
        School.objects.active()
        .filter(is_leader=True, municipality__region_id=school.municipality.region_id)
        .exclude(pk=school.pk)
        .select_related("municipality")
        .order_by("name")
    )


@transaction.atomic
def partner_assign(*, user: User | None, school: School, leader: School, date_from: dt.date) -> PartnerAssignment:
    """Pair the school with a leader (mentor) school of the same region from a date."""
    require_school_editor(user, school)
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
    require_active(leader, field="leader")  # an archived leader school mentors no one anew
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
    require_school_editor(user, assignment.school)
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
