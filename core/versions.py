"""Optimistic locking: every edit and every transition carries the version of the object it was made
against, and the database decides who was first (`UPDATE … SET version = version + 1 WHERE version = n`).

A model that takes part has a `version` counter (a positive integer, 1 when created) and its
django-simple-history records, from which the refusal names who changed what and when. A page puts the
version it showed into its forms (`<input type="hidden" name="version">`); the view reads it back with
`posted_version` and passes it to the service, which calls `version_claim` first, inside its
transaction. A service called by the portal itself (a command, a task, the demo) passes `None`: its
write still moves the version on, so a page opened before it is refused. See docs/architecture.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import datetime_text

FIELD = "version"


class Versioned(models.Model):
    """A model whose edits and transitions are checked against the version they were made at."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class StaleVersion(ValidationError):
    """The object changed after the page was opened; `message` says who changed what and when.

    A ValidationError (NON_FIELD_ERRORS), so the one service-error helper shows it like any refusal.
    """

    def __init__(self, message: str) -> None:
        super().__init__({NON_FIELD_ERRORS: [message]})
        self.message = message


def posted_version(data: Mapping[str, Any]) -> int:
    """The version a form was opened at; 0 (never a real version, so always refused) when absent or bad."""
    value = str(data.get(FIELD) or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else 0


def version_claim(
    obj: models.Model,
    version: int | None,
    *,
    noun: str,
    fields: Iterable[str] = (),
    describe: Callable[[int], str] | None = None,
) -> None:
    """Move `obj` to its next version if it is still at `version` (None: whatever it is at); refuse with
    `StaleVersion` otherwise, naming who changed `fields` since (`describe(version)` writes the message
    instead for a model whose changes live in other rows too). `obj.version` is updated; the caller's
    save then writes the history record of the new version."""
    model = type(obj)
    rows = model._default_manager.filter(pk=obj.pk)
    if version is not None:
        rows = rows.filter(**{FIELD: version})
    if not rows.update(**{FIELD: F(FIELD) + 1}):
        stale = version or 0
        raise StaleVersion(describe(stale) if describe else describe_change(obj, stale, noun=noun, fields=fields))
    setattr(obj, FIELD, model._default_manager.filter(pk=obj.pk).values_list(FIELD, flat=True).get())


def _short(user: Any) -> str:
    return user.short_name if user else _("неизвестный пользователь")


def _value_text(field: models.Field, value: Any) -> str:
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_changes(
    obj: models.Model, version: int, *, fields: Iterable[str] = ()
) -> tuple[list[str], dt.datetime | None, dt.datetime | None, list[str]]:
    """Who changed `obj` after `version`, from when to when, and what: the labels of the changed `fields`
    (a status change as «статус: «A» → «B»»)."""
    later = list(
        obj.history.filter(**{f"{FIELD}__gt": version}).select_related("history_user").order_by("history_date")
    )
    authors: list[str] = []
    changed: list[str] = []
    wanted = list(fields)
    for record in later:
        name = _short(record.history_user)
        if record.history_user and name not in authors:
            authors.append(name)
        previous = record.prev_record
        if previous is None or not wanted:
            continue
        for change in record.diff_against(previous, included_fields=wanted).changes:
            field = type(obj)._meta.get_field(change.field)
            if change.field == "status":
                text = _("статус: «%(from)s» → «%(to)s»") % {
                    "from": _value_text(field, change.old),
                    "to": _value_text(field, change.new),
                }
            else:
                text = str(field.verbose_name)
            if text not in changed:
                changed.append(text)
    since = later[0].history_date if later else None
    until = later[-1].history_date if later else None
    return authors, since, until, changed


def conflict_message(*, noun: str, authors: list[str], when: dt.datetime | None, changes: list[str]) -> str:
    """The one Russian refusal of a stale edit or transition: who, when, what; nothing was written."""
    return _(
        "%(noun)s уже изменил(а) %(who)s (%(when)s), пока вы работали с этой страницей. Изменено: %(what)s. "
        "Ваши изменения не сохранены, чтобы не затереть чужие: откройте страницу заново, проверьте данные "
        "и повторите."
    ) % {
        "noun": noun,
        "who": ", ".join(authors) or _("другой пользователь"),
        "when": datetime_text(when or timezone.now()),
        "what": "; ".join(changes) or _("данные"),
    }


def describe_change(
    obj: models.Model, version: int, *, noun: str, fields: Iterable[str] = (), extra: Iterable[str] = ()
) -> str:
    """The refusal for `obj` opened at `version`: `noun` (capitalised, accusative: «Справку»), the
    history since, and `extra` changes the caller knows of (for example the lines of a report)."""
    authors, _since, until, changes = history_changes(obj, version, fields=fields)
    return conflict_message(noun=noun, authors=authors, when=until, changes=[*changes, *extra])
