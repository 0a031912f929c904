"""The app's two workflows (a roadmap's, a quarterly report's) declared once for `core.transitions`.

A workflow names, for each action, the status it leads to, the statuses it may start from and the
subject's marks it sets or clears (`submitted_at`, `approved_at`/`approved_by`, …); its history model,
version check and e-mail task. Every move checks the version the page showed (`core.versions`,
docs/architecture.md «Versions») before the one transition helper locks the row, checks the status,
stamps it, records the history and queues the e-mail on commit. A service checks the actor's right and
its own preconditions first, then calls `Workflow.move`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _

from core.models import User
from core.transitions import TransitionRecord, transition

# The version check of a subject (a `version_claim` with the subject's own refusal): None is the portal's.
Claim = Callable[[Any, "int | None", "User | None"], None]
# More the subject's workflow does inside the move, on the locked row (returns the fields it changed).
Extra = Callable[[Any, str, "User | None"], list[str]]


@dataclass(frozen=True)
class Move:
    """Where an action leads (None: the status stays, e.g. «заверить») and where it may start from.

    `sets`: marks stamped with the time (`…_at`) and the actor (`…_by`); `clears`: marks emptied;
    `once`: the refusal when the first mark of `sets` is already there (`%(who)s`: its actor)."""

    to_status: str | None
    allowed_from: tuple[str, ...]
    sets: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    once: str = ""


APPROVED = ("approved_at", "approved_by")
CERTIFIED = ("certified_at", "certified_by")


def review_moves(status: type[TextChoices], *, certified_twice: str, return_clears: tuple[str, ...]) -> dict[str, Move]:
    """The moves a roadmap and a report share: a draft or returned one is submitted, then returned or
    approved; an approved one is reopened (to returned); a curator certifies a submitted or approved one."""
    return {
        "submit": Move(status.SUBMITTED, (status.DRAFT, status.RETURNED), sets=("submitted_at",)),
        "return": Move(status.RETURNED, (status.SUBMITTED,), clears=return_clears),
        "approve": Move(status.APPROVED, (status.SUBMITTED,), sets=APPROVED),
        "reopen": Move(status.RETURNED, (status.APPROVED,), clears=(*APPROVED, *CERTIFIED)),
        "certify": Move(None, (status.SUBMITTED, status.APPROVED), sets=CERTIFIED, once=certified_twice),
    }


@dataclass(frozen=True)
class Workflow:
    history: type[TransitionRecord]
    moves: Mapping[str, Move]
    claim: Claim
    # The name of the e-mail task in `roadmaps.tasks` (imported late: the tasks import the services).
    notify_task: str
    extra: Extra | None = None

    def move(self, subject: Any, action: str, *, user: User | None, version: int | None, comment: str = "") -> Any:
        """Refuse a stale `version` (None only for the portal itself), then move through core.transitions."""
        from .. import tasks

        self.claim(subject, version, user)
        step = self.moves[action]
        return transition(
            subject,
            history=self.history,
            user=user,
            action=action,
            to_status=step.to_status,
            allowed_from=step.allowed_from,
            stamp=self._stamp,
            comment=comment,
            notify=getattr(tasks, self.notify_task).delay,
        )

    def _stamp(self, subject: Any, action: str, user: User | None, now: Any) -> list[str]:
        """The subject's own marks of the move (core.transitions.Stamp), on the locked row."""
        step = self.moves[action]
        if step.once and getattr(subject, step.sets[0]):
            who = getattr(subject, step.sets[-1]) if len(step.sets) > 1 else None
            name = who.short_name if who else _("неизвестный пользователь")
            raise ValidationError({NON_FIELD_ERRORS: [step.once % {"who": name}]})
        fields = self.extra(subject, action, user) if self.extra else []
        for name in step.clears:
            setattr(subject, name, None)
        for name in step.sets:
            setattr(subject, name, now if name.endswith("_at") else user)
        return list(dict.fromkeys([*fields, *step.clears, *step.sets]))
