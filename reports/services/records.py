"""The two marks every write leaves on a reference: the version it claims (core.versions) and its
audit entry (core.transitions)."""

from __future__ import annotations

from core.models import User
from core.transitions import transition_record
from core.versions import version_claim

from ..models import AnalyticalReference, ReferenceTransition, ReferenceVersion
from .narrative import NARRATIVE_FIELDS


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


def claim(ref: AnalyticalReference, version: int | None, user: User | None) -> None:
    """Move the reference to its next version, refusing a page opened at an older one (core.versions)."""
    version_claim(ref, version, noun="Справку", fields=("status", *NARRATIVE_FIELDS))
    ref._history_user = user
