"""Who may change a school's registry, assignments, risk profile and causes of low results.

Reading is decided by scope (`core.scope.schools_for`): a school outside it is a 404. Editing is a
narrower right checked here on a school the user already sees, so a read-only role gets a 403; the
services check it again for their actor.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core import scope
from core.models import Role, User

from .models import School

# Roles that keep the registry and the assignments, each within its own scope.
EDITOR_ROLES: tuple[str, ...] = (Role.METHODIST, Role.COORDINATOR, Role.ADMIN)
# Roles that see the registry page (a whole municipality or region at once).
REGISTRY_VIEW_ROLES: tuple[str, ...] = (Role.METHODIST, Role.COORDINATOR, Role.HEAD, Role.ADMIN)
# Every role: the schools directory is open to anyone holding one.
ANY_ROLE: tuple[str, ...] = tuple(Role.values)


def can_edit_school(user: User, school: School) -> bool:
    """A methodist edits their municipality's schools, a coordinator their region's, an admin all.

    `school.municipality` should be loaded (select_related) so this costs no query.
    """
    return scope.covers_school(user, school, roles=EDITOR_ROLES)


def require_school_editor(user: User | None, school: School) -> None:
    """Raise PermissionDenied (403) unless the user may edit this school (`scope.SYSTEM` may)."""
    scope.require_school(user, school, roles=EDITOR_ROLES)


def can_view_registry(user: User) -> bool:
    return scope.has_role(user, *REGISTRY_VIEW_ROLES)


def require_registry_viewer(user: User) -> None:
    if not can_view_registry(user):
        raise PermissionDenied
