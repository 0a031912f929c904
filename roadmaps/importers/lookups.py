"""What the `Мероприятия` sheet reads before it writes: the existing roadmaps, activities, reports
and lines of the imported rows, each in a fixed number of queries, and the bulk approval."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

from core.calendar import quarter_academic_year
from core.workbook import ImportContext, normalize_name

from ..models import (
    Activity,
    ActivityReport,
    ActivityType,
    Direction,
    QuarterlyReport,
    ReportStatus,
    ReportTransition,
    Roadmap,
)

if TYPE_CHECKING:
    from .activities import ActivityRow


BATCH_SIZE = 1000


# Rows of an `IN (…)` list per query: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 2000


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _today(ctx: ImportContext) -> dt.date:
    """Today's date, read once per import."""
    today = ctx.data.get("activity_today")
    if today is None:
        today = ctx.data["activity_today"] = timezone.localdate()
    return today


def _types_of(ctx: ImportContext, direction: Direction | None) -> QuerySet[ActivityType]:
    """Activity types to match a row's `Вид мероприятия` against: its direction's, or all of them
    (built once per direction; `ctx.lookup` reads each once)."""
    querysets: dict[int | None, QuerySet[ActivityType]] = ctx.data.setdefault("activity_type_querysets", {})
    key = direction.pk if direction else None
    if key not in querysets:
        types = ActivityType.objects.filter(direction=direction) if direction else ActivityType.objects.all()
        querysets[key] = types.select_related("direction")
    return querysets[key]


def _reports_in_review(ctx: ImportContext, year: int, quarter: int) -> dict[int, QuarterlyReport]:
    """Reports of the quarter that are submitted or returned (kept on the portal), by school id;
    read once per quarter of the sheet."""
    cache: dict[tuple[int, int], dict[int, QuarterlyReport]] = ctx.data.setdefault("activity_reports_in_review", {})
    found = cache.get((year, quarter))
    if found is None:
        found = {}
        query = QuarterlyReport.objects.filter(
            year=year, quarter=quarter, status__in=(ReportStatus.SUBMITTED, ReportStatus.RETURNED)
        ).select_related("roadmap")
        for report in query.order_by("pk"):
            found.setdefault(report.roadmap.school_id, report)
        cache[(year, quarter)] = found
    return found


def _existing_roadmaps(keys: set[tuple[int, int]]) -> dict[tuple[int, int], Roadmap]:
    """The roadmaps already stored for these (school id, academic year) pairs."""
    found: dict[tuple[int, int], Roadmap] = {}
    years = {year for _school, year in keys}
    for school_ids in _chunks(sorted({school for school, _year in keys})):
        for roadmap in Roadmap.objects.filter(school_id__in=school_ids, academic_year__in=years).order_by():
            key = (roadmap.school_id, roadmap.academic_year)
            if key in keys:
                found[key] = roadmap
    return found


def _existing_activities(
    roadmaps: dict[tuple[int, int], Roadmap], rows: list[ActivityRow]
) -> tuple[dict[tuple, Activity], dict[tuple[int, int], int]]:
    """Existing activities of these roadmaps that a row could match, by (school id, academic year,
    direction id, due date, normalised title), and the number of activities of each roadmap."""
    activities: dict[tuple, Activity] = {}
    counts: dict[tuple[int, int], int] = {}
    if not roadmaps or not rows:
        return activities, counts
    key_of = {roadmap.pk: key for key, roadmap in roadmaps.items()}
    first_due = min(item.due_on for item in rows)
    last_due = max(item.due_on for item in rows)
    for roadmap_ids in _chunks(sorted(key_of)):
        for roadmap_id, count in (
            Activity.objects.filter(roadmap_id__in=roadmap_ids)
            .order_by()
            .values("roadmap_id")
            .annotate(n=Count("id"))
            .values_list("roadmap_id", "n")
        ):
            counts[key_of[roadmap_id]] = count
        # A roadmap's first matching activity wins, as `roadmap.activities` orders them.
        candidates = Activity.objects.filter(
            roadmap_id__in=roadmap_ids, due_on__gte=first_due, due_on__lte=last_due
        ).order_by("order", "id")
        for activity in candidates:
            key = (*key_of[activity.roadmap_id], activity.direction_id, activity.due_on, normalize_name(activity.title))
            activities.setdefault(key, activity)
    return activities, counts


def _existing_reports(
    roadmaps: dict[tuple[int, int], Roadmap], keys: set[tuple[int, int, int]]
) -> dict[tuple[int, int, int], QuarterlyReport]:
    """The quarterly reports already stored for these (school id, year, quarter), on the roadmap of
    the quarter's academic year."""
    found: dict[tuple[int, int, int], QuarterlyReport] = {}
    wanted = {}
    for school_id, year, quarter in keys:
        roadmap = roadmaps.get((school_id, quarter_academic_year(year, quarter)))
        if roadmap is not None:
            wanted[(roadmap.pk, year, quarter)] = (school_id, year, quarter)
    for roadmap_ids in _chunks(sorted({roadmap_id for roadmap_id, _y, _q in wanted})):
        for report in QuarterlyReport.objects.filter(roadmap_id__in=roadmap_ids).order_by():
            key = wanted.get((report.roadmap_id, report.year, report.quarter))
            if key is not None:
                found[key] = report
    return found


def _existing_lines(reports: dict[tuple[int, int, int], QuarterlyReport]) -> dict[tuple[int, int], ActivityReport]:
    """Lines of these reports, by (report id, activity id)."""
    lines: dict[tuple[int, int], ActivityReport] = {}
    for report_ids in _chunks(sorted(report.pk for report in reports.values())):
        for line in ActivityReport.objects.filter(report_id__in=report_ids).order_by():
            lines[(line.report_id, line.activity_id)] = line
    return lines


def _approve_reports(reports: list[QuarterlyReport], user: Any, now: dt.datetime) -> None:
    """Record the imported reports as approved (they were approved on paper), with their transitions."""
    if not reports:
        return
    transitions = []
    for report in reports:
        transitions.append(
            ReportTransition(
                report=report,
                actor=user,
                from_status=report.status,
                to_status=ReportStatus.APPROVED,
                action="import",
                comment=_("Импорт из книги Excel (лист «Мероприятия»): отчёт утверждён на бумаге."),
            )
        )
        report.status = ReportStatus.APPROVED
        report.submitted_at = report.submitted_at or now
        report.approved_at = now
        report.approved_by = user
        report.version += 1
        report.updated_at = now
    # The same values for every report: one UPDATE, then the history rows of what each became.
    for chunk in _chunks([report.pk for report in reports]):
        QuarterlyReport.objects.filter(pk__in=chunk).update(
            status=ReportStatus.APPROVED,
            submitted_at=Coalesce("submitted_at", Value(now)),
            approved_at=now,
            approved_by=user,
            version=F("version") + 1,
            updated_at=now,
        )
    get_history_manager_for_model(QuarterlyReport).bulk_history_create(
        reports, batch_size=BATCH_SIZE, update=True, default_user=user
    )
    ReportTransition.objects.bulk_create(transitions, batch_size=BATCH_SIZE)
