"""A report's optimistic lock (core.versions): a stale save or transition is refused naming who
changed which lines and fields, which files and which status since the page was opened."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.models import User
from core.versions import StaleVersion, conflict_message, version_claim

from ..models import ActivityReport, Evidence, QuarterlyReport
from ..selectors import LINE_FIELDS

# A stale save or transition of a report (the core refusal, named for the report form's view and tests).
ReportConflict = StaleVersion


def short_name(user: User | None) -> str:
    return user.short_name if user else _("неизвестный пользователь")


def describe_conflict(report: QuarterlyReport, version: int) -> str:
    """Who changed the report since `version` and what: lines with their changed fields, files, status."""
    later = list(report.history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    since = later[0].history_date if later else report.updated_at
    authors: list[str] = []
    for record in later:
        name = short_name(record.history_user)
        if record.history_user and name not in authors:
            authors.append(name)
    changes = _line_changes(report, since)
    files = Evidence.history.filter(line__report_id=report.pk, history_date__gte=since)
    added = files.filter(history_type="+").count()
    removed = files.filter(history_type="-").count()
    if added:
        changes.append(_("добавлено файлов: %(n)s") % {"n": added})
    if removed:
        changes.append(_("удалено файлов: %(n)s") % {"n": removed})
    for t in report.transitions.filter(created_at__gte=since).select_related("actor"):
        changes.append(
            _("статус: «%(from)s» → «%(to)s»") % {"from": t.get_from_status_display(), "to": t.get_to_status_display()}
        )
        if short_name(t.actor) not in authors:
            authors.append(short_name(t.actor))
    return conflict_message(
        noun=_("Отчёт"), authors=authors, when=later[-1].history_date if later else since, changes=changes
    )


def _line_changes(report: QuarterlyReport, since) -> list[str]:
    """«Название» — поле, поле: the lines changed since `since`, each with its changed fields in form order."""
    labels = {f: str(ActivityReport._meta.get_field(f).verbose_name) for f in LINE_FIELDS}
    records = (
        ActivityReport.history.filter(report_id=report.pk, history_date__gte=since, history_type="~")
        .select_related("activity")
        .order_by("history_date")
    )
    per_line: dict[int, tuple[str, list[str]]] = {}
    for record in records:
        previous = record.prev_record
        if previous is None:
            continue
        delta = record.diff_against(previous, included_fields=list(LINE_FIELDS))
        title, fields = per_line.setdefault(record.id, (record.activity.title[:80], []))
        fields.extend(change.field for change in delta.changes if change.field not in fields)
    changes: list[str] = []
    for title, fields in per_line.values():
        if fields:
            ordered = [labels[name] for name in LINE_FIELDS if name in fields]
            changes.append(f"«{title}» — {', '.join(ordered)}")
    return changes


def report_claim(report: QuarterlyReport, version: int | None, user: User | None = None) -> None:
    """Move the report to its next version, refusing a stale page (None: the portal itself)."""
    version_claim(report, version, noun=_("Отчёт"), describe=lambda stale: describe_conflict(report, stale))
    report._history_user = user
