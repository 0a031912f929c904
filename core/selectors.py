"""Reads of accounts, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from .models import Membership, Role, User
from .scope import is_admin, memberships


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
