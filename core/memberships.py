"""A user's memberships and roles: read once per request and cached on the user object.

Membership is core's own model; every app asks here which roles a user holds.
"""

from __future__ import annotations

from .models import Membership, Role, User


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships with their school, municipality and region, cached on the user object
    for the request (the home page lists them too: one query serves roles, scopes and that list)."""
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = (
            list(user.memberships.select_related("school", "municipality", "region")) if user.is_authenticated else []
        )
        user._memberships_cache = cached
    return cached


def roles_of(user: User) -> set[str]:
    """The set of role codes the user holds."""
    roles = {m.role for m in memberships_of(user)}
    if user.is_authenticated and user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
