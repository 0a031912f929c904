"""What a report line reported against: the copy of its activity made when the report was submitted
(ActivityReport.reported_*), or the live activity while the report is a draft or returned. Pages read
`line.reported`; queries (exports, references, coverage) read `reported(name)`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, When

if TYPE_CHECKING:
    from ..models import ActivityReport, ActivityType, Direction


class ReportedActivity:
    """The activity as a report line shows it (read lazily: only what a page uses is loaded)."""

    def __init__(self, line: ActivityReport) -> None:
        self._line = line

    @property
    def is_frozen(self) -> bool:
        return self._line.reported_direction_id is not None

    def _get(self, name: str, frozen: str) -> Any:
        line = self._line
        return getattr(line, frozen) if self.is_frozen else getattr(line.activity, name)

    @property
    def title(self) -> str:
        return self._get("title", "reported_title")

    @property
    def direction(self) -> Direction:
        return self._get("direction", "reported_direction")

    @property
    def direction_id(self) -> int:
        return self._get("direction_id", "reported_direction_id")

    @property
    def activity_type(self) -> ActivityType | None:
        return self._get("activity_type", "reported_type")

    @property
    def starts_on(self) -> dt.date | None:
        return self._get("starts_on", "reported_starts_on")

    @property
    def due_on(self) -> dt.date | None:
        return self._get("due_on", "reported_due_on")

    @property
    def due_text(self) -> str:
        return self._get("due_text", "reported_due_text")


def reported(name: str, prefix: str = "") -> Case:
    """Query expression over ActivityReport (through `prefix`) for what a line reported against:
    `name` is one of title, direction, activity_type, starts_on, due_on, due_text, or a path below direction or
    activity_type («direction__name»); the frozen copy when there is one, the live activity otherwise."""
    head, _sep, rest = name.partition("__")
    frozen = {"activity_type": "reported_type", "direction": "reported_direction"}.get(head, f"reported_{head}")
    tail = f"__{rest}" if rest else ""
    return Case(
        When(**{f"{prefix}reported_direction__isnull": False}, then=F(f"{prefix}{frozen}{tail}")),
        default=F(f"{prefix}activity__{head}{tail}"),
    )
