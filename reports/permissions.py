"""Who may act on a reference they can already see (seeing is `selectors.references_for`: an outsider
gets a 404 there; a user who sees but may not act gets a 403 from these checks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core.models import Role, User
from schools.models import Municipality, Region
from schools.selectors import _memberships

from .models import AnalyticalReference, ScopeKind

# Roles that download the signed PDFs of their scope as one ZIP.
ZIP_ROLES: tuple[str, ...] = (Role.COORDINATOR, Role.HEAD, Role.ADMIN)


def _is_admin(user: User) -> bool:
    return user.is_superuser or any(m.role == Role.ADMIN for m in _memberships(user))


def can_prepare(user: User, reference: AnalyticalReference) -> bool:
    """A methodist prepares their municipality's references, a coordinator the region-wide ones."""
    if not user.is_authenticated:
        return False
    if _is_admin(user):
        return True
    for m in _memberships(user):
        if m.role == Role.METHODIST and reference.municipality_id and m.municipality_id == reference.municipality_id:
            return True
        if (
            m.role == Role.COORDINATOR
            and reference.scope_kind == ScopeKind.REGION
            and m.region_id == reference.region_id
        ):
            return True
    return False


def can_sign(user: User, reference: AnalyticalReference) -> bool:
    """A head whose scope covers the reference's scope (the municipality's head, or the region's)."""
    if not user.is_authenticated:
        return False
    for m in _memberships(user):
        if m.role != Role.HEAD:
            continue
        if m.municipality_id and reference.municipality_id == m.municipality_id:
            return True
        if m.region_id and reference.region_id == m.region_id:
            return True
    return False


def require_preparer(user: User, reference: AnalyticalReference) -> None:
    if not can_prepare(user, reference):
        raise PermissionDenied("Готовить эту справку может методист муниципалитета или координатор региона.")


def require_signer(user: User, reference: AnalyticalReference) -> None:
    if not can_sign(user, reference):
        raise PermissionDenied("Подписать справку может только руководитель органа управления образованием.")


def creatable_scopes(user: User) -> list[tuple[str, str]]:
    """Scopes the user may create references for: («municipality:CODE», label) pairs."""
    if not user.is_authenticated:
        return []
    if _is_admin(user):
        regions = Region.objects.order_by("name")
        municipalities = Municipality.objects.select_related("region").order_by("region__name", "name")
    else:
        region_ids = [m.region_id for m in _memberships(user) if m.role == Role.COORDINATOR and m.region_id]
        mun_ids = [m.municipality_id for m in _memberships(user) if m.role == Role.METHODIST and m.municipality_id]
        regions = Region.objects.filter(pk__in=region_ids).order_by("name")
        municipalities = Municipality.objects.filter(pk__in=mun_ids).select_related("region").order_by("name")
    result = [(f"region:{r.code}", f"{r.name} (весь регион)") for r in regions]
    result += [(f"municipality:{m.code}", f"{m.name} ({m.region.name})") for m in municipalities]
    return result


def can_create(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (_is_admin(user) or any(m.role in (Role.METHODIST, Role.COORDINATOR) for m in _memberships(user)))
    )
