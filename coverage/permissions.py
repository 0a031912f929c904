"""Which roles may see and recompute coverage. The scope itself is checked by `scope_for_user`."""

from __future__ import annotations

from core.models import Role, User
from core.scope import has_role

COVERAGE_VIEWERS = (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)
COVERAGE_REFRESHERS = (Role.METHODIST, Role.COORDINATOR, Role.ADMIN)


def can_view_coverage(user: User) -> bool:
    return has_role(user, *COVERAGE_VIEWERS)


def can_refresh_coverage(user: User) -> bool:
    return has_role(user, *COVERAGE_REFRESHERS)
