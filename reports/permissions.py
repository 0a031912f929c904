"""Who may act on a reference they can already see (seeing is `selectors.references_for`: an outsider
gets a 404 there; a user who sees but may not act gets a 403 from these checks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core import scope
from core.models import Role, User

from .models import AnalyticalReference, ScopeKind

# Roles that download the signed PDFs of their scope as one ZIP.
ZIP_ROLES: tuple[str, ...] = (Role.COORDINATOR, Role.HEAD, Role.ADMIN)


def _covers(user: User, reference: AnalyticalReference, roles: tuple[str, ...]) -> bool:
    return scope.covers_area(
        user, municipality_id=reference.municipality_id, region_id=reference.region_id, roles=roles
    )


def can_prepare(user: User, reference: AnalyticalReference) -> bool:
    """A methodist prepares their municipality's references, a coordinator the region-wide ones."""
    if reference.scope_kind == ScopeKind.REGION:
        return _covers(user, reference, (Role.COORDINATOR, Role.ADMIN))
    return _covers(user, reference, (Role.METHODIST, Role.ADMIN))


def can_sign(user: User, reference: AnalyticalReference) -> bool:
    """A head whose scope covers the reference's scope (the municipality's head, or the region's)."""
    return _covers(user, reference, (Role.HEAD,))


def require_preparer(user: User, reference: AnalyticalReference) -> None:
    if not can_prepare(user, reference):
        raise PermissionDenied("Готовить эту справку может методист муниципалитета или координатор региона.")


def require_signer(user: User, reference: AnalyticalReference) -> None:
    if not can_sign(user, reference):
        raise PermissionDenied("Подписать справку может только руководитель органа управления образованием.")


def creatable_scopes(user: User, *, include_archived: bool = False) -> list[tuple[str, str]]:
    """Scopes the user may create references for: («municipality:CODE», label) pairs. Archived regions
    and municipalities are not offered (`include_archived`: the service's right check, which then
    refuses them with a form error)."""
    if not user.is_authenticated:
        return []
    regions = scope.regions_for(user, roles=(Role.COORDINATOR, Role.ADMIN)).order_by("name")
    municipalities = (
        scope.municipalities_for(user, roles=(Role.METHODIST, Role.ADMIN))
        .select_related("region")
        .order_by("region__name", "name")
    )
    if not include_archived:
        regions, municipalities = regions.active(), municipalities.active()
    result = [(f"region:{r.code}", f"{r.name} (весь регион)") for r in regions]
    result += [(f"municipality:{m.code}", f"{m.name} ({m.region.name})") for m in municipalities]
    return result


def can_create(user: User) -> bool:
    return scope.has_role(user, Role.METHODIST, Role.COORDINATOR, Role.ADMIN)
