"""Who may see or act on what: the one home of "does this user cover this school, municipality or
region" (see docs/architecture.md, «Scope»).

A user holds memberships, each a role within an area: a director their school, a curator the schools
assigned to them (on the day asked), a methodist or a municipal head their municipality, a regional
head or a coordinator their region, an admin (or a superuser) everything. Everything here reads the
memberships once per user object (so once per request) and answers in two forms that always agree:

- querysets and the `scope_q` primitive, for selectors: `schools_for(user, roles=...)` and friends,
  and `scope_q(user, school=..., municipality=..., region=...)` to filter any model by the lookup
  paths that lead from it to a school, a municipality or a region;
- per-object checks, for permissions and services: `covers_school(user, school, roles=...)` is true
  exactly when that school is in `schools_for(user, roles=...)`, without a query (except a curator's
  assignment, read once per school and request).

`roles=None` means through any role; otherwise only the listed roles count, and an admin's
"everything" counts only when `Role.ADMIN` is listed.

Services always check their actor's right here (`require_school`, `require_municipality`,
`require_region`, raising PermissionDenied), whoever calls them: a view, a command or a task. The actor
is the user the service acts for, or `SYSTEM` (None) when a management command, the demo loader or a
task acting on the system's own behalf calls it: then no right is checked and the caller answers for
it (the workbook import, for one, bounds a web import by the importing user's scope itself).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Membership, Role, User

M = TypeVar("M", bound=Model)
# The organisations are the schools app's models; core imports no app, so they are reached through
# the foreign keys of core's own Membership. In the signatures below, School, Municipality and Region
# name those models, and CuratorAssignment the schools app's assignment of a curator to a school.
School = Municipality = Region = CuratorAssignment = Model


def _organisation(field: str) -> type[Model]:
    """The School, Municipality or Region model, as Membership's `field` points at it."""
    return Membership._meta.get_field(field).related_model


# The actor of a service called by a command, a task acting for the system or the demo loader.
SYSTEM = None

_MUNICIPAL_ROLES = (Role.METHODIST, Role.HEAD)
_REGIONAL_ROLES = (Role.HEAD, Role.COORDINATOR)


# --- memberships and roles ------------------------------------------------------------------------


def memberships(user: User | None) -> list[Membership]:
    """The user's memberships with their school, municipality and region, cached on the user object
    for the request (the home page lists them too: one query serves roles, scopes and that list).
    The anonymous user and `SYSTEM` hold none."""
    if user is None:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = (
            list(user.memberships.select_related("school", "municipality", "region")) if user.is_authenticated else []
        )
        user._memberships_cache = cached
    return cached


def roles_of(user: User | None) -> set[str]:
    """The set of role codes the user holds (a superuser holds the admin role)."""
    roles = {m.role for m in memberships(user)}
    if user is not None and user.is_authenticated and user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def has_role(user: User, *roles: str) -> bool:
    """True when the user holds at least one of `roles` anywhere."""
    return bool(roles_of(user) & set(roles))


def is_admin(user: User) -> bool:
    """A superuser or a holder of the admin role: sees and may do everything an admin may."""
    return has_role(user, Role.ADMIN)


def _counts(role: str, roles: tuple[str, ...] | None) -> bool:
    return roles is None or role in roles


def _admin_through(user: User, roles: tuple[str, ...] | None) -> bool:
    """True when the user's admin right counts for `roles` (every area is covered then)."""
    return _counts(Role.ADMIN, roles) and is_admin(user)


# --- active curators ------------------------------------------------------------------------------


def curator_active_q(date_from: dt.date, date_to: dt.date | None = None, *, prefix: str = "") -> Q:
    """Curator assignments active on any day of [date_from, date_to] (on `date_from` alone when
    `date_to` is None): assigned on or before its end and not unassigned before its start.

    `prefix` leads to the assignment from another model, e.g. "curator_assignments__".
    """
    p = prefix
    return Q(**{f"{p}assigned_on__lte": date_to or date_from}) & (
        Q(**{f"{p}unassigned_on__isnull": True}) | Q(**{f"{p}unassigned_on__gte": date_from})
    )


def curator_active(assignment: CuratorAssignment, date_from: dt.date, date_to: dt.date | None = None) -> bool:
    """`curator_active_q` for one assignment already loaded (prefetched lists, the school card)."""
    end = assignment.unassigned_on
    return assignment.assigned_on <= (date_to or date_from) and (end is None or end >= date_from)


def curates(user: User, school: School) -> bool:
    """True when the user is an active curator of the school today (one query per school and request)."""
    cache = user.__dict__.setdefault("_curated_cache", {})
    if school.pk not in cache:
        through = "curator_assignments__"
        cache[school.pk] = (
            _organisation("school")
            .objects.filter(
                curator_active_q(timezone.localdate(), prefix=through), pk=school.pk, **{f"{through}user": user}
            )
            .exists()
        )
    return cache[school.pk]


# --- querysets ----------------------------------------------------------------------------------


def _id(path: str) -> str:
    return f"{path}_id" if path else "pk"


def scope_q(
    user: User,
    *,
    roles: tuple[str, ...] | None = None,
    school: str | None = None,
    municipality: str | None = None,
    region: str | None = None,
) -> Q:
    """A Q over any model matching the rows the user covers through `roles`.

    `school`, `municipality` and `region` are the lookups leading from the model to a School, a
    Municipality and a Region ("" for the model itself, None when the model has no such level):
    a school's row is `scope_q(user, school="", municipality="municipality",
    region="municipality__region")`, a reference's is `scope_q(user, municipality="municipality",
    region="region")`. Director and curator memberships match through `school` only, so a
    municipality or a region is covered only by those who see it whole.
    """
    if _admin_through(user, roles):
        return Q()
    q = Q(pk__in=[])
    today = timezone.localdate()
    for m in memberships(user):
        if not _counts(m.role, roles):
            continue
        if m.role == Role.DIRECTOR:
            if school is not None:
                q |= Q(**{_id(school): m.school_id})
        elif m.role == Role.CURATOR:
            if school is not None:
                through = f"{school}__curator_assignments__" if school else "curator_assignments__"
                q |= Q(**{f"{through}user": user}) & curator_active_q(today, prefix=through)
        elif m.role in _MUNICIPAL_ROLES and m.municipality_id:
            if municipality is not None:
                q |= Q(**{_id(municipality): m.municipality_id})
        elif m.role in _REGIONAL_ROLES and m.region_id:
            if region is not None:
                q |= Q(**{_id(region): m.region_id})
    return q


def school_q(user: User, *, roles: tuple[str, ...] | None = None, path: str = "") -> Q:
    """`scope_q` for a model reaching School through `path` ("" for School itself, "school",
    "roadmap__school"); join it in one `filter()` and add `.distinct()` (a curator's join repeats rows)."""
    prefix = f"{path}__" if path else ""
    return scope_q(
        user,
        roles=roles,
        school=path,
        municipality=f"{prefix}municipality",
        region=f"{prefix}municipality__region",
    )


def schools_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
    """The schools the user may see (through `roles`, or any role)."""
    return _organisation("school").objects.filter(school_q(user, roles=roles)).distinct()


def municipalities_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[Municipality]:
    """The municipalities the user sees whole (methodist, head, coordinator, admin)."""
    if _admin_through(user, roles):
        return _organisation("municipality").objects.all()
    return _organisation("municipality").objects.filter(scope_q(user, roles=roles, municipality="", region="region"))


def regions_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[Region]:
    """The regions the user sees whole (coordinator, regional head, admin)."""
    if _admin_through(user, roles):
        return _organisation("region").objects.all()
    return _organisation("region").objects.filter(scope_q(user, roles=roles, region=""))


# --- per-object checks --------------------------------------------------------------------------


def covers_school(user: User, school: School, *, roles: tuple[str, ...] | None = None) -> bool:
    """True when the school is in `schools_for(user, roles=roles)`.

    Load `school.municipality` with the school (select_related): a regional membership reads its
    region; a curator's assignment costs one query per school and request.
    """
    if _admin_through(user, roles):
        return True
    for m in memberships(user):
        if not _counts(m.role, roles):
            continue
        if m.role == Role.DIRECTOR and m.school_id == school.pk:
            return True
        if m.role in _MUNICIPAL_ROLES and m.municipality_id and m.municipality_id == school.municipality_id:
            return True
        if m.role in _REGIONAL_ROLES and m.region_id and m.region_id == school.municipality.region_id:
            return True
        if m.role == Role.CURATOR and curates(user, school):
            return True
    return False


def covers_area(
    user: User, *, municipality_id: int | None, region_id: int, roles: tuple[str, ...] | None = None
) -> bool:
    """True when the user sees the area whole: a municipality (of region `region_id`), or the region
    itself when `municipality_id` is None. The per-object form of `scope_q(user, municipality=...,
    region=...)`, by ids, so an object holding both (a reference, a campaign) costs no query."""
    if _admin_through(user, roles):
        return True
    for m in memberships(user):
        if not _counts(m.role, roles):
            continue
        if m.role in _MUNICIPAL_ROLES and m.municipality_id:
            if municipality_id is not None and m.municipality_id == municipality_id:
                return True
        elif m.role in _REGIONAL_ROLES and m.region_id and m.region_id == region_id:
            return True
    return False


def covers_municipality(user: User, municipality: Municipality, *, roles: tuple[str, ...] | None = None) -> bool:
    """True when the municipality is in `municipalities_for(user, roles=roles)`; no query."""
    return covers_area(user, municipality_id=municipality.pk, region_id=municipality.region_id, roles=roles)


def covers_region(user: User, region: Region, *, roles: tuple[str, ...] | None = None) -> bool:
    """True when the region is in `regions_for(user, roles=roles)`; no query."""
    return covers_area(user, municipality_id=None, region_id=region.pk, roles=roles)


def school_or_404(user: User, pk: Any, *, roles: tuple[str, ...] | None = None) -> School:
    """The school `pk` with its municipality and region if the user covers it; Http404 otherwise
    (another school's id is a 404, not a 403: healthchecks' `_get_check_for_user`)."""
    return get_object_or_404(schools_for(user, roles=roles).select_related("municipality__region"), pk=pk)


def in_school_or_404(
    queryset: QuerySet[M], user: User, pk: Any, *, roles: tuple[str, ...] | None = None, path: str = "school"
) -> M:
    """The object `pk` of `queryset` hanging off a school (through `path`) the user covers;
    Http404 otherwise."""
    return get_object_or_404(queryset.filter(**{f"{path}__in": schools_for(user, roles=roles).values("pk")}), pk=pk)


# --- services: the actor's right ------------------------------------------------------------------


def require_school(actor: User | None, school: School, *, roles: tuple[str, ...] | None = None) -> None:
    """Raise PermissionDenied unless the actor covers the school through `roles` (SYSTEM passes)."""
    if actor is not SYSTEM and not covers_school(actor, school, roles=roles):
        raise PermissionDenied


def require_municipality(
    actor: User | None, municipality: Municipality, *, roles: tuple[str, ...] | None = None
) -> None:
    """Raise PermissionDenied unless the actor covers the municipality through `roles` (SYSTEM passes)."""
    if actor is not SYSTEM and not covers_municipality(actor, municipality, roles=roles):
        raise PermissionDenied


def require_region(actor: User | None, region: Region, *, roles: tuple[str, ...] | None = None) -> None:
    """Raise PermissionDenied unless the actor covers the region through `roles` (SYSTEM passes)."""
    if actor is not SYSTEM and not covers_region(actor, region, roles=roles):
        raise PermissionDenied
