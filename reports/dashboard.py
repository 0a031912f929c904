"""Home-page panel of the references: counts by status, the latest references, and for a head the
references waiting for their signature (three queries whatever the number of references)."""

from __future__ import annotations

from django.db.models import Count, Q

from portal.models import Role, User
from schools.selectors import has_role

from . import permissions, selectors
from .models import ReferenceStatus


def panels(user: User) -> list[dict]:
    if not (user.is_superuser or has_role(user, *selectors.VIEW_ROLES)):
        return []
    refs = selectors.references_for(user)
    counts = refs.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in ReferenceStatus.values},
    )
    pending = (
        list(selectors.pending_signoff_for(user).order_by("-updated_at")[:10]) if has_role(user, Role.HEAD) else []
    )
    latest = list(refs.order_by("-updated_at")[:5])
    return [
        {
            "template": "reports/panels/references.html",
            "order": 40,
            "counts": counts,
            "pending": pending,
            "latest": latest,
            "can_create": permissions.can_create(user),
        }
    ]
