"""A quarterly report's lines: which activities they cover, their copies of what was reported against,
and what keeps them from being submitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.calendar import academic_year_label, date_text, quarter_bounds, roadmap_span
from core.models import User

from ..models import Activity, ActivityReport, LineStatus, QuarterlyReport, ReportStatus, Roadmap

NEEDS_REASON = (LineStatus.NOT_DONE, LineStatus.POSTPONED)
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
FROZEN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
# The dates a director enters on a line: within the roadmap's academic year (docs/architecture.md).
LINE_DATES = ("started_on", "finished_on")


def activities_in_quarter(roadmap: Roadmap, year: int, quarter: int) -> QuerySet[Activity]:
    """Activities due in the quarter or running through it."""
    start, end = quarter_bounds(year, quarter)
    return roadmap.activities.filter(
        Q(due_on__range=(start, end)) | Q(starts_on__isnull=False, starts_on__lte=end, due_on__gte=start)
    )


def report_sync_lines(*, report: QuarterlyReport, user: User | None = None) -> int:
    """Add a line for each activity of the quarter that lacks one; drop untouched lines of activities
    that no longer fall into the quarter. Only for reports still being edited."""
    if report.status not in EDITABLE:
        return 0
    wanted = set(activities_in_quarter(report.roadmap, report.year, report.quarter).values_list("pk", flat=True))
    existing = dict(report.lines.values_list("activity_id", "pk"))
    added = 0
    for activity_id in sorted(wanted - existing.keys()):
        line = ActivityReport(report=report, activity_id=activity_id)
        line._history_user = user
        line.save()
        added += 1
    stale = [pk for activity_id, pk in existing.items() if activity_id not in wanted]
    if stale:
        ActivityReport.objects.filter(pk__in=stale, status="", result="", evidence__isnull=True).delete()
    return added


def report_lines_freeze(*, report_ids: list[int]) -> int:
    """Copy each line's activity (title, direction, type, dates) onto the line of these reports: what a
    submitted or approved report shows and counts never changes with the roadmap afterwards."""
    activity = Activity.objects.filter(pk=OuterRef("activity_id"))
    return ActivityReport.objects.filter(report_id__in=report_ids).update(
        reported_title=Subquery(activity.values("title")[:1]),
        reported_direction=Subquery(activity.values("direction_id")[:1]),
        reported_type=Subquery(activity.values("activity_type_id")[:1]),
        reported_starts_on=Subquery(activity.values("starts_on")[:1]),
        reported_due_on=Subquery(activity.values("due_on")[:1]),
        reported_due_text=Subquery(activity.values("due_text")[:1]),
    )


def report_lines_thaw(*, report_ids: list[int]) -> int:
    """Drop the copies: a returned or reopened report is edited against the live roadmap again."""
    return ActivityReport.objects.filter(report_id__in=report_ids).update(
        reported_title="",
        reported_direction=None,
        reported_type=None,
        reported_starts_on=None,
        reported_due_on=None,
        reported_due_text="",
    )


def line_label(line: ActivityReport, number: int | None = None) -> str:
    """«Строка 3 «Название»»: how a refusal names a line of the report."""
    prefix = _("Строка %(n)s ") % {"n": number} if number else _("Строка ")
    return f"{prefix}«{line.reported.title[:80]}»"


def report_problems(report: QuarterlyReport) -> list[str]:
    """What keeps the report from being submitted, line by line (empty when complete)."""
    problems: list[str] = []
    lines = list(report.lines.select_related("activity"))
    if not lines:
        problems.append(_("В отчёте нет мероприятий за квартал: добавьте их в дорожную карту."))
    for n, line in enumerate(lines, start=1):
        label = line_label(line, n)
        if not line.status:
            problems.append(_("%(line)s: не указан статус выполнения.") % {"line": label})
        elif line.status in NEEDS_REASON and not line.reason.strip():
            problems.append(
                _("%(line)s: статус «%(status)s» — укажите причину.")
                % {"line": label, "status": line.get_status_display()}
            )
        elif line.status == LineStatus.DONE and not line.result.strip():
            problems.append(_("%(line)s: мероприятие выполнено — опишите результат.") % {"line": label})
    return problems


def academic_year_refusal(day: dt.date | None, academic_year: int, label: str) -> str | None:
    """None for no day or a day within the roadmap's span (01.07.Y – 31.08.Y+1: its academic year and the
    quarters of its reports, core.calendar.roadmap_span); otherwise «поле «…»: ДД.ММ.ГГГГ — вне …» naming
    the field `label`."""
    first, last = roadmap_span(academic_year)
    if day is None or first <= day <= last:
        return None
    return _("поле «%(field)s»: %(day)s — вне сроков дорожной карты на %(year)s учебный год (%(first)s–%(last)s)") % {
        "field": label,
        "day": date_text(day),
        "year": academic_year_label(academic_year),
        "first": date_text(first),
        "last": date_text(last),
    }


def line_date_refusals(line: ActivityReport, values: dict[str, Any], academic_year: int) -> dict[str, str]:
    """Field → refusal for each date of `values` outside the academic year, naming the line and the field."""
    refusals = {}
    for name in LINE_DATES:
        label = capfirst(str(ActivityReport._meta.get_field(name).verbose_name))
        text = academic_year_refusal(values.get(name), academic_year, label)
        if text:
            refusals[name] = f"{line_label(line)}, {text}."
    return refusals
