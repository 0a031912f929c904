"""Reads of the schools app that are not about who sees what (that is `core.scope`), and the
organisations as core reads them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from core.calendar import academic_year_of
from core.models import User
from core.scope import municipalities_for, regions_for, schools_for

from ..models import Municipality, Region, School


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


def municipalities_of_schools(user: User) -> QuerySet[Municipality]:
    """The municipality filter of the lists: municipalities in which the user sees at least one school
    that is not archived (an archived municipality, or one of an archived region, is not offered: see
    docs/architecture.md, «Archive, never delete»)."""
    return Municipality.objects.filter(pk__in=schools_for(user).active().values("municipality_id")).order_by("name")
