"""Home-page panel of the references: counts by status, the latest references, and for a head the
references waiting for their signature (one query, two for a head, whatever the number of references)."""

from __future__ import annotations

from django.db.models import Count, Q, Window

from core.models import Role, User
from core.registry import home_panels
from core.scope import has_role

from . import permissions, selectors
from .models import ReferenceStatus


@home_panels.register(order=40)
def panels(user: User) -> list[dict]:
    if not has_role(user, *selectors.VIEW_ROLES):
        return []
    refs = selectors.references_for(user)
    # The latest five and the counts by status in one query: window counts over all the user's references.
    windows = {
        "total": Window(Count("pk")),
        **{status: Window(Count("pk", filter=Q(status=status))) for status in ReferenceStatus.values},
    }
    latest = list(refs.annotate(**{f"n_{key}": w for key, w in windows.items()}).order_by("-updated_at")[:5])
    counts = {key: getattr(latest[0], f"n_{key}") if latest else 0 for key in windows}
    pending = (
        list(selectors.pending_signoff_for(user).order_by("-updated_at")[:10]) if has_role(user, Role.HEAD) else []
    )
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
