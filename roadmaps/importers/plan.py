"""The write of the `Мероприятия` sheet, planned in memory against what the database holds.

The plan walks the rows in order, exactly as a row-by-row write would (an activity created by one
row is found by a later row of the same roadmap), so the preview and the counts are the same; the
writes are then a fixed number of bulk statements with their history records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.calendar import academic_year_label, period_string, quarter_academic_year
from core.workbook import ImportContext, normalize_name

from ..models import Activity, ActivityReport, LineStatus, QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus
from ..services.report_lines import report_lines_freeze
from .lookups import (
    BATCH_SIZE,
    _approve_reports,
    _existing_activities,
    _existing_lines,
    _existing_reports,
    _existing_roadmaps,
)

if TYPE_CHECKING:
    from .activities import ActivityRow

LINE_VALUES = ("status", "result", "reason")


class ActivityPlan:
    """New and changed roadmaps, reports, activities and lines of the cleaned rows, and their counts."""

    def __init__(self, rows: list[ActivityRow], *, user: Any, approve: bool) -> None:
        self.user = user
        self.approve = approve
        self.now = timezone.now()
        self.status_labels = {status.value: str(status.label) for status in LineStatus}
        roadmap_keys = {(item.school.pk, quarter_academic_year(item.year, item.quarter)) for item in rows}
        self.roadmaps = _existing_roadmaps(roadmap_keys)
        self.activities, self.activity_counts = _existing_activities(self.roadmaps, rows)
        self.reports = _existing_reports(self.roadmaps, {(item.school.pk, item.year, item.quarter) for item in rows})
        self.lines = _existing_lines(self.reports)
        self.new_roadmaps: list[Roadmap] = []
        self.new_reports: list[QuarterlyReport] = []
        self.new_activities: list[Activity] = []
        self.new_lines: dict[tuple, ActivityReport] = {}
        self.changed_lines: dict[tuple, ActivityReport] = {}
        self.changed_fields: set[str] = set()
        self.used_reports: dict[tuple[int, int, int], QuarterlyReport] = {}
        self.created = self.updated = 0

    def add(self, item: ActivityRow, ctx: ImportContext) -> None:
        """Plan one row: its roadmap, report, activity and line, each found or new."""
        academic_year = quarter_academic_year(item.year, item.quarter)
        roadmap_key = (item.school.pk, academic_year)
        roadmap = self._roadmap(item, roadmap_key, ctx)
        report_key = (item.school.pk, item.year, item.quarter)
        report = self._report(item, report_key, roadmap)
        activity_key = (*roadmap_key, item.direction.pk, item.due_on, normalize_name(item.title))
        activity = self._activity(item, activity_key, roadmap_key, roadmap)
        self._line(item, (report_key, activity_key), report, activity, ctx)

    def _roadmap(self, item: ActivityRow, key: tuple[int, int], ctx: ImportContext) -> Roadmap:
        roadmap = self.roadmaps.get(key)
        if roadmap is None:
            academic_year = key[1]
            roadmap = Roadmap(
                school=item.school,
                academic_year=academic_year,
                status=RoadmapStatus.APPROVED if self.approve else RoadmapStatus.DRAFT,
            )
            if self.approve:
                roadmap.approved_at, roadmap.approved_by = self.now, self.user
            self.roadmaps[key] = roadmap
            self.new_roadmaps.append(roadmap)
            ctx.change(
                "create",
                _("дорожная карта %(s)s на %(y)s учебный год")
                % {"s": item.school.name, "y": academic_year_label(academic_year)},
            )
        return roadmap

    def _report(self, item: ActivityRow, key: tuple[int, int, int], roadmap: Roadmap) -> QuarterlyReport:
        report = self.used_reports.get(key)
        if report is None:
            report = self.reports.get(key)
            if report is None:
                report = QuarterlyReport(roadmap=roadmap, year=item.year, quarter=item.quarter)
                self.new_reports.append(report)
            self.used_reports[key] = report
        return report

    def _activity(self, item: ActivityRow, key: tuple, roadmap_key: tuple[int, int], roadmap: Roadmap) -> Activity:
        activity = self.activities.get(key)
        if activity is None:
            self.activity_counts[roadmap_key] = self.activity_counts.get(roadmap_key, 0) + 1
            activity = Activity(
                roadmap=roadmap,
                direction=item.direction,
                activity_type=item.activity_type,
                title=item.title,
                due_on=item.due_on,
                due_text=item.due_text,
                order=self.activity_counts[roadmap_key],
            )
            # Not `full_clean()`: every value was checked when the row was cleaned (lengths,
            # dates, catalogue entries), and its foreign key and constraint checks would cost
            # queries per row.
            self.activities[key] = activity
            self.new_activities.append(activity)
        return activity

    def _line(
        self, item: ActivityRow, key: tuple, report: QuarterlyReport, activity: Activity, ctx: ImportContext
    ) -> None:
        line = self.new_lines.get(key)
        if line is None and report.pk is not None and activity.pk is not None:
            line = self.lines.get((report.pk, activity.pk))
        values = {"status": item.status, "result": item.result, "reason": item.reason}
        label = (
            f"{item.school.code}, {period_string(item.year, item.quarter)}: "
            f"«{item.title[:60]}» — {self.status_labels[item.status]}"
        )
        if line is None:
            self.new_lines[key] = ActivityReport(report=report, activity=activity, **values)
            self.created += 1
            ctx.change("create", label)
            return
        changed = [f for f, v in values.items() if getattr(line, f) != v]
        if changed:
            for f in changed:
                setattr(line, f, values[f])
            if line.pk is not None:
                self.changed_lines[key] = line
                self.changed_fields.update(changed)
            self.updated += 1
            ctx.change("update", label)

    def save(self) -> None:
        """The planned rows in bulk, with their history records; approved reports when on paper."""
        bulk: dict[str, Any] = {"batch_size": BATCH_SIZE, "default_user": self.user}
        bulk_create_with_history(self.new_roadmaps, Roadmap, **bulk)
        bulk_create_with_history(self.new_reports, QuarterlyReport, **bulk)
        bulk_create_with_history(self.new_activities, Activity, **bulk)
        bulk_create_with_history(list(self.new_lines.values()), ActivityReport, **bulk)
        if self.changed_lines:
            bulk_update_with_history(
                # Only the columns some line changed (each a CASE over the lines): the others keep their values.
                list(self.changed_lines.values()),
                ActivityReport,
                [f for f in LINE_VALUES if f in self.changed_fields],
                **bulk,
            )
        if self.approve:
            approved = [r for r in self.used_reports.values() if r.status != ReportStatus.APPROVED]
            _approve_reports(approved, self.user, self.now)
            # What the lines reported against is frozen with the approval (roadmaps.services.report_lines).
            report_lines_freeze(report_ids=[r.pk for r in self.used_reports.values()])


__all__ = ["ActivityPlan"]
