"""Reads for pages: every query here is scoped to the user asking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.calendar import academic_year_of

# Re-exported: the apps ask schools.selectors for roles as well as for scopes.
from core.memberships import has_role as has_role
from core.memberships import memberships_of as _memberships
from core.memberships import roles_of as roles_of
from core.models import Role, User

from ..models import Municipality, Region, School


def school_scope_q(user: User, *, roles: tuple[str, ...] | None = None, prefix: str = "") -> Q:
    """A Q over School (or over a model reaching School through `prefix`, e.g. "school__") that
    matches the schools this user may see through the given roles (all roles when None)."""
    p = prefix
    today = timezone.localdate()
    if user.is_authenticated and user.is_superuser and (roles is None or Role.ADMIN in roles):
        return Q()
    q = Q(pk__in=[])
    for m in _memberships(user):
        if roles is not None and m.role not in roles:
            continue
        if m.role == Role.ADMIN:
            return Q()
        if m.role == Role.DIRECTOR:
            q |= Q(**{f"{p}pk" if p == "" else f"{p}id": m.school_id})
        elif m.role == Role.CURATOR:
            q |= Q(
                **{
                    f"{p}curator_assignments__user": user,
                    f"{p}curator_assignments__assigned_on__lte": today,
                }
            ) & (
                Q(**{f"{p}curator_assignments__unassigned_on__isnull": True})
                | Q(**{f"{p}curator_assignments__unassigned_on__gte": today})
            )
        elif m.role in (Role.METHODIST, Role.HEAD) and m.municipality_id:
            q |= Q(**{f"{p}municipality_id": m.municipality_id})
        elif m.role in (Role.HEAD, Role.COORDINATOR) and m.region_id:
            q |= Q(**{f"{p}municipality__region_id": m.region_id})
    return q


def schools_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
    """Return the schools this user may see (through the given roles, or any role)."""
    return School.objects.filter(school_scope_q(user, roles=roles)).distinct()


def municipalities_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[Municipality]:
    """Municipalities the user sees whole (methodist, head, coordinator, admin)."""
    q = Q(pk__in=[])
    for m in _memberships(user):
        if roles is not None and m.role not in roles:
            continue
        if m.role == Role.ADMIN:
            return Municipality.objects.all()
        if m.role in (Role.METHODIST, Role.HEAD) and m.municipality_id:
            q |= Q(pk=m.municipality_id)
        elif m.role in (Role.HEAD, Role.COORDINATOR) and m.region_id:
            q |= Q(region_id=m.region_id)
    if user.is_authenticated and user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(q).distinct()


def regions_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[Region]:
    """Regions the user sees whole (coordinator, regional head, admin)."""
    q = Q(pk__in=[])
    for m in _memberships(user):
        if roles is not None and m.role not in roles:
            continue
        if m.role == Role.ADMIN:
            return Region.objects.all()
        if m.role in (Role.HEAD, Role.COORDINATOR) and m.region_id:
            q |= Q(pk=m.region_id)
    if user.is_authenticated and user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(q)


def registry_active_q(date_from: dt.date, date_to: dt.date, prefix: str = "") -> Q:
    """Registry entries active on any day of [date_from, date_to].

    An entry is active from its inclusion date until its exclusion date, and never past the end
    of its academic year (31 August).
    """
    p = prefix
    return (
        Q(**{f"{p}included_on__lte": date_to})
        & (Q(**{f"{p}excluded_on__isnull": True}) | Q(**{f"{p}excluded_on__gte": date_from}))
        & Q(**{f"{p}academic_year__gte": academic_year_of(date_from)})
    )


class ScopedOrganisations:
    """The organisations as core reads them (`core.organisations`); `user=None` means all of them."""

    def schools(self, user: User | None = None, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
        return School.objects.all() if user is None else schools_for(user, roles=roles)

    def municipalities(
        self, user: User | None = None, *, roles: tuple[str, ...] | None = None
    ) -> QuerySet[Municipality]:
        return Municipality.objects.all() if user is None else municipalities_for(user, roles=roles)

    def regions(self, user: User | None = None, *, roles: tuple[str, ...] | None = None) -> QuerySet[Region]:
        return Region.objects.all() if user is None else regions_for(user, roles=roles)
