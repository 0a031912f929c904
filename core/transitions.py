"""One way to change a workflow's status: lock the row, check the move is allowed, stamp the row,
record the history entry (who, when, from, to, comment) and send its notification after commit.

Every workflow model (a roadmap, a quarterly report, an analytical reference) keeps its history in a
model derived from `TransitionRecord`; the labels of its actions are the choices of its `Action`
class, defined once on that model. Services call `transition()` inside their `transaction.atomic()`
after checking the actor's right; a service that changes the status itself (with more than a status
and its stamps to write) records the entry with `transition_record()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone

History = TypeVar("History", bound="TransitionRecord")

# Called on the locked row before it is saved: sets the row's own stamps for this action (submitted_at,
# approved_by, …), may refuse with a ValidationError, and returns the names of the fields it changed.
Stamp = Callable[[Any, str, Any, Any], list[str]]


class TransitionRecord(models.Model):
    """A history row of a workflow: who moved the subject from which status to which, when, and why.

    A concrete model adds the subject's foreign key (named in `SUBJECT`), `from_status` and `to_status`
    with the subject's status choices, and `action` with its own `Action` choices.
    """

    SUBJECT: str = ""
    # The refusal of a move the subject's status does not allow: `%(action)s` is the action's label,
    # `%(status)s` the status the subject is in.
    REFUSED: str = "Действие «%(action)s» недоступно в статусе «%(status)s»."

    # Empty for what the portal does itself (imports by a management command, generated versions).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def action_label(self) -> str:
        return str(self.get_action_display())


def transition_record(
    history: type[History],
    subject: models.Model,
    *,
    actor: Any,
    action: str,
    from_status: str,
    to_status: str,
    comment: str = "",
    notify: Callable[[int], Any] | None = None,
    **extra: Any,
) -> History:
    """Write the history row of a status change; `notify(entry_pk)` runs once the transaction commits."""
    entry = history.objects.create(
        **{history.SUBJECT: subject},
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        **extra,
    )
    if notify is not None:
        transaction.on_commit(lambda: notify(entry.pk))
    return entry


def transition(
    subject: models.Model,
    *,
    history: type[History],
    user: Any,
    action: str,
    to_status: str | None,
    allowed_from: Iterable[str],
    refused: str | None = None,
    stamp: Stamp | None = None,
    comment: str = "",
    notify: Callable[[int], Any] | None = None,
) -> History:
    """Move `subject` to `to_status` (None keeps its status: an action such as «заверить») and record it.

    Must run inside `transaction.atomic()`. Only the subject's own row is locked (no joins: PostgreSQL
    would lock the joined rows too). A status outside `allowed_from` is refused with `refused`, a text
    with `%(action)s` (the action's label from the history model's choices) and `%(status)s` (the status
    the subject is in now), by default the history model's `REFUSED`, as a non-field error (services
    refuse with field-keyed errors: docs/contracts.md). The caller's instance gets the
    saved values back.
    """
    model = type(subject)
    locked = model.objects.select_for_update().get(pk=subject.pk)
    if locked.status not in tuple(allowed_from):
        label = dict(history._meta.get_field("action").flatchoices).get(action, action)
        text = refused or history.REFUSED
        raise ValidationError({NON_FIELD_ERRORS: [text % {"action": label, "status": locked.get_status_display()}]})
    from_status = locked.status
    fields = ["status"]
    if stamp is not None:
        fields += stamp(locked, action, user, timezone.now())
    locked.status = to_status or from_status
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    locked._history_user = user
    locked.save(update_fields=fields)
    for name in fields:
        setattr(subject, name, getattr(locked, name))
    return transition_record(
        history,
        locked,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        comment=comment,
        notify=notify,
    )
