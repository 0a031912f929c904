"""Who changed what and when in a school's data: its history page, read from the history tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.calendar import academic_year_label, date_text
from core.models import User

from ..models import (
    CuratorAssignment,
    LowResultCause,
    PartnerAssignment,
    RegistryEntry,
    RiskFactor,
    RiskProfileEntry,
    School,
)


@dataclass
class HistoryChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEvent:
    date: dt.datetime
    user: str
    subject: str
    action: str
    changes: list[HistoryChange] = field(default_factory=list)


ACTIONS = {"+": _("Создание"), "~": _("Изменение"), "-": _("Удаление")}


def _display(model_field, value: Any, names: dict[tuple[type, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if model_field.name == "academic_year":
        return academic_year_label(value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if getattr(model_field, "remote_field", None) is not None:
        return names.get((model_field.related_model, value), f"№ {value}")
    if isinstance(value, bool):
        return str(_("да") if value else _("нет"))
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def _subject(record, names: dict[tuple[type, Any], str]) -> str:
    model = record.instance_type
    if model is School:
        return str(_("Сведения об ОО"))
    if model is RegistryEntry:
        return _("Реестр, %(year)s уч. год") % {"year": academic_year_label(record.academic_year)}
    if model is CuratorAssignment:
        return _("Куратор: %(name)s") % {"name": record.full_name}
    if model is PartnerAssignment:
        return _("Школа-наставник: %(name)s") % {"name": names.get((School, record.leader_id), "—")}
    if model is RiskProfileEntry:
        return _("Рисковый профиль %(year)s г.: %(factor)s") % {
            "year": record.year,
            "factor": names.get((RiskFactor, record.factor_id), "—"),
        }
    if model is LowResultCause:
        return _("Причина низких результатов, %(year)s г.") % {"year": record.year}
    return str(model._meta.verbose_name)


HISTORY_SKIP = {"id", "school"}
FIELD_LABELS = {"academic_year": _("Учебный год")}
# Fields a creation event need not repeat: the event's subject already names them.
SUBJECT_FIELDS: dict[type, set[str]] = {
    RegistryEntry: {"academic_year"},
    CuratorAssignment: {"full_name"},
    PartnerAssignment: {"leader"},
    RiskProfileEntry: {"year", "factor"},
    LowResultCause: {"year"},
}


def _label(model_field) -> str:
    return str(FIELD_LABELS.get(model_field.name) or capfirst(str(model_field.verbose_name)))


def school_history(
    school: School, *, limit: int = 100, catalogue: list[RiskFactor] | None = None
) -> list[HistoryEvent]:
    """Who changed what and when in the school's data, newest first (at most `limit` events).

    One query per tracked model plus one per kind of referenced object, whatever the history size.
    """
    groups, wanted = _history_records(school)
    names = _referenced_names(wanted, catalogue)
    events: list[HistoryEvent] = []
    for records in groups:
        previous = None
        for record in records:
            changes = _record_changes(record, previous, names)
            if changes is None:  # a save that changed nothing shown
                previous = record
                continue
            user = record.history_user
            events.append(
                HistoryEvent(
                    date=record.history_date,
                    user=user.full_name if user is not None else str(_("Система (импорт, загрузка данных)")),
                    subject=_subject(record, names),
                    action=str(ACTIONS.get(record.history_type, record.history_type)),
                    changes=changes,
                )
            )
            previous = record
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]


def _history_records(school: School) -> tuple[list[list], dict[type, set]]:
    """The school's history records grouped per object in date order, and the primary keys of the
    objects they refer to, per model (one query per tracked model)."""
    sources = [
        School.history.filter(id=school.pk),
        RegistryEntry.history.filter(school_id=school.pk),
        CuratorAssignment.history.filter(school_id=school.pk),
        PartnerAssignment.history.filter(school_id=school.pk),
        RiskProfileEntry.history.filter(school_id=school.pk),
        LowResultCause.history.filter(school_id=school.pk),
    ]
    groups: list[list] = []
    wanted: dict[type, set] = {}
    for qs in sources:
        records = list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
            for f in record.instance_type._meta.concrete_fields:
                if f.remote_field is not None and f.name not in HISTORY_SKIP:
                    value = getattr(record, f.attname)
                    if value is not None:
                        wanted.setdefault(f.related_model, set()).add(value)
        groups.extend(by_object.values())
    return groups, wanted


def _referenced_names(wanted: dict[type, set], catalogue: list[RiskFactor] | None) -> dict[tuple[type, Any], str]:
    """The display names of the referenced objects (one query per model)."""
    names: dict[tuple[type, Any], str] = {}
    if catalogue is not None:  # already loaded for the risk profile: no need to query it again
        names.update({(RiskFactor, factor.pk): str(factor) for factor in catalogue})
        wanted[RiskFactor] = wanted.get(RiskFactor, set()) - {factor.pk for factor in catalogue}
    for model, pks in wanted.items():
        if not pks:
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            label = obj.full_name if isinstance(obj, User) else str(obj)
            names[(model, obj.pk)] = label
    return names


def _record_changes(record, previous, names: dict[tuple[type, Any], str]) -> list[HistoryChange] | None:
    """What one history record changed: the changed fields of an edit, the filled fields of a
    creation; None for an edit that changed none of the shown fields."""
    model = record.instance_type
    fields = {f.name: f for f in model._meta.concrete_fields if f.name not in HISTORY_SKIP and f.editable}
    changes: list[HistoryChange] = []
    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, included_fields=list(fields))
        for change in delta.changes:
            f = fields[change.field]
            changes.append(HistoryChange(_label(f), _display(f, change.old, names), _display(f, change.new, names)))
        return changes or None
    if record.history_type == "+":
        shown = SUBJECT_FIELDS.get(model, set())
        for name, f in fields.items():
            value = getattr(record, f.attname)
            if name in shown or (model is School and name == "is_leader" and not value):
                continue
            if value not in (None, ""):
                changes.append(HistoryChange(_label(f), "", _display(f, value, names)))
    return changes
