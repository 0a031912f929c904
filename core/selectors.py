"""Reads of the core, scoped to the asking user: accounts, import jobs and the import template's scope."""

from __future__ import annotations

from django.db.models import Model, Prefetch, Q, QuerySet

from .models import ImportJob, Membership, Role, User
from .organisations import organisations
from .permissions import TEMPLATE_ROLES
from .scope import has_role, is_admin, memberships


def users_for(user: User) -> QuerySet[User]:
    """Users an admin (all) or a coordinator (those with a role in their region) may list."""
    qs = User.objects.order_by("last_name", "first_name", "username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("school", "municipality", "region"),
        )
    )
    if is_admin(user):
        return qs
    region_ids = [m.region_id for m in memberships(user) if m.role == Role.COORDINATOR]
    return qs.filter(
        Q(memberships__region_id__in=region_ids)
        | Q(memberships__municipality__region_id__in=region_ids)
        | Q(memberships__school__municipality__region_id__in=region_ids)
        | Q(curated_schools__school__municipality__region_id__in=region_ids)
    ).distinct()


def import_jobs_for(user: User) -> QuerySet[ImportJob]:
    """The jobs this user may see: their own; an admin sees everyone's."""
    qs = ImportJob.objects.select_related("requested_by", "municipality")
    if has_role(user, Role.ADMIN):
        return qs
    return qs.filter(requested_by=user)


def template_municipalities_for(user: User) -> QuerySet:
    """The municipalities whose template this user may download (archived ones: no new work)."""
    return (
        organisations()
        .municipalities(user, roles=TEMPLATE_ROLES)
        .active()
        .select_related("region")
        .order_by("region__name", "name")
    )


def template_schools_for(user: User, municipality: Model | None) -> QuerySet:
    """The schools of a template: the user's, in this municipality (or in all of theirs)."""
    qs = organisations().schools(user, roles=TEMPLATE_ROLES).active()  # archived schools: no new work
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs
