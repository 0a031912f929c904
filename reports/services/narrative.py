"""What a reference says and what a version of it freezes: the narrative, the document's own facts,
the text a new reference starts with, the data snapshot and the verification code."""

from __future__ import annotations

import secrets
from typing import Any

from ..document import DEFAULT_GOALS, DEFAULT_TASKS, DEFAULT_TITLES
from ..document.paragraphs import default_paragraphs, paragraphs_of
from ..models import AnalyticalReference, ReferenceTemplate
from ..selectors.snapshot import snapshot_compute
from .drafts import draft_conclusions, draft_remarks

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

NARRATIVE_FIELDS = (
    "title",
    "goal",
    "tasks",
    "conclusions",
    "remarks",
    "decisions",
    "data_note",
    "precision",
    "author_position",
    "author_name",
    "author_phone",
    "cover_letter",
    "cover_addressee",
    "cover_subject",
    "cover_text",
    "outgoing_number",
    "outgoing_date",
    "paragraphs",
)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def narrative_of(reference: AnalyticalReference) -> dict[str, Any]:
    """The text of the reference as a version freezes it."""
    return {
        "title": reference.title,
        "goal": reference.goal,
        "tasks": reference.tasks,
        "conclusions": reference.conclusions,
        "remarks": reference.remarks,
        "decisions": reference.decisions,
        "data_note": reference.data_note,
        "recommendations": [
            {"addressee": r.addressee, "text": r.text, "deadline": r.deadline}
            for r in reference.recommendations.order_by("order", "id")
        ],
        "author_position": reference.author_position,
        "author_name": reference.author_name,
        "author_phone": reference.author_phone,
        "cover_letter": reference.cover_letter,
        "cover_addressee": reference.cover_addressee,
        "cover_subject": reference.cover_subject,
        "cover_text": reference.cover_text,
        "outgoing_number": reference.outgoing_number,
        "outgoing_date": reference.outgoing_date.isoformat() if reference.outgoing_date else None,
        "precision": reference.precision,
        # Every paragraph of the template, a default where the reference has none (docs/references.md).
        "paragraphs": paragraphs_of(reference.template, reference.paragraphs),
    }


def document_of(reference: AnalyticalReference, narrative: dict[str, Any]) -> dict[str, Any]:
    """What a version freezes about the document itself: template, title, territory and period."""
    place = reference.municipality or reference.region
    return {
        "template": reference.template,
        "title": narrative["title"],
        "scope_code": reference.scope_code,
        "authority": place.authority or place.name,
        "date_from": reference.date_from,
        "date_to": reference.date_to,
    }


def default_narrative(*, template: str, snapshot: dict, precision: int) -> dict[str, Any]:
    """The text a new reference starts with: the seed's goal and tasks, drafts from the data."""
    return {
        "title": DEFAULT_TITLES[template],
        "goal": DEFAULT_GOALS[template],
        "tasks": DEFAULT_TASKS if template == ReferenceTemplate.ROADMAP_MONITORING else "",
        "conclusions": draft_conclusions(snapshot=snapshot, template=template, precision=precision),
        "remarks": draft_remarks(snapshot=snapshot, template=template, precision=precision)
        if template == ReferenceTemplate.ROADMAP_MONITORING
        else "",
        "decisions": "",
        "recommendations": [],
        "paragraphs": default_paragraphs(template),
    }


def snapshot_of(reference: AnalyticalReference) -> dict[str, Any]:
    """Today's data for the reference's template, territory and period."""
    return snapshot_compute(
        scope_kind=reference.scope_kind,
        scope_code=reference.scope_code,
        date_from=reference.date_from,
        date_to=reference.date_to,
        template=reference.template,
    )
