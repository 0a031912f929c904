"""Which roles may do what in monitoring. Object access is enforced by the scoped selectors;
these checks decide between "may act" and 403 for a user who may see."""

from __future__ import annotations

from core.models import Role, User
from core.scope import has_role

CAMPAIGN_MANAGERS = (Role.METHODIST, Role.COORDINATOR, Role.ADMIN)
CAMPAIGN_VIEWERS = (Role.METHODIST, Role.COORDINATOR, Role.HEAD, Role.ADMIN)
VALUE_ENTERERS = (Role.DIRECTOR, Role.METHODIST, Role.COORDINATOR, Role.ADMIN)
VISIT_RECORDERS = (Role.METHODIST, Role.COORDINATOR, Role.ADMIN)
RESULT_ENTERERS = (Role.DIRECTOR, Role.METHODIST, Role.COORDINATOR, Role.ADMIN)


def can_manage_campaigns(user: User) -> bool:
    return has_role(user, *CAMPAIGN_MANAGERS)


def can_view_campaigns(user: User) -> bool:
    return has_role(user, *CAMPAIGN_VIEWERS)


def can_record_visits(user: User) -> bool:
    return has_role(user, *VISIT_RECORDERS)


def can_enter_results(user: User) -> bool:
    return has_role(user, *RESULT_ENTERERS)
