"""The two marks every write leaves on a reference: the version it claims (core.versions) and its
audit entry (core.transitions)."""

from __future__ import annotations

from core.models import User
from core.transitions import transition_record
from core.versions import describe_change, version_claim

from ..models import AnalyticalReference, ReferenceTransition, ReferenceVersion
from .narrative import NARRATIVE_FIELDS

FIELDS = ("status", *NARRATIVE_FIELDS)


def audit(
    *,
    reference: AnalyticalReference,
    actor: User | None,
    action: str,
    from_status: str,
    to_status: str,
    version: ReferenceVersion | None = None,
    comment: str = "",
) -> None:
    transition_record(
        ReferenceTransition,
        reference,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        version=version,
    )


def _generated_since(ref: AnalyticalReference, stale: int) -> list[str]:
    """The versions of the document made current after the reference's version `stale` (a generation
    changes no text, so the history of the fields alone would not name it)."""
    seen = list(
        ref.history.filter(version__gte=stale)
        .order_by("history_date", "history_id")
        .values_list("current_version_id", flat=True)
    )
    made = {pk for before, pk in zip(seen, seen[1:], strict=False) if pk is not None and pk != before}
    numbers = ReferenceVersion.objects.filter(pk__in=made).order_by("number").values_list("number", flat=True)
    return [f"сформирована версия {number}" for number in numbers]


def _conflict(ref: AnalyticalReference, stale: int) -> str:
    return describe_change(ref, stale, noun="Справку", fields=FIELDS, extra=_generated_since(ref, stale))


def claim(ref: AnalyticalReference, version: int | None, user: User | None) -> None:
    """Move the reference to its next version, refusing a page opened at an older one (core.versions)."""
    version_claim(ref, version, noun="Справку", describe=lambda stale: _conflict(ref, stale))
    ref._history_user = user
