"""Workbook sheet `Мероприятия`: last year's paper reports brought into the portal.

Columns: Код ОО · Квартал · Направление · Вид мероприятия · Мероприятие · Срок · Статус · Результат.
Each row is one roadmap activity and its line in the quarter's report. The roadmap of the quarter's
academic year is created when missing; imported by a methodist, a coordinator, an admin or the
command, the report is recorded as approved (it was approved on paper). Re-importing the same file
updates the same activities and lines instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history, get_history_manager_for_model

from core.calendar import academic_year_label, date_text, period_string, quarter_academic_year, quarter_bounds
from core.workbook import (
    ImportContext,
    RowError,
    SheetImporter,
    normalize_name,
    parse_choice,
    parse_date,
    parse_quarter,
    parse_text,
    register,
)
from schools.models import School

from .models import (
    Activity,
    ActivityReport,
    ActivityType,
    Direction,
    LineStatus,
    QuarterlyReport,
    ReportStatus,
    ReportTransition,
    Roadmap,
    RoadmapStatus,
)
from .services.reports import NEEDS_REASON

# Evaluated only when a message needs them: translating on every row of a big sheet shows in its time.
WHAT_DIRECTION = gettext_lazy("направление")
WHAT_TYPE = gettext_lazy("вид мероприятия")

COLUMNS = ("Код ОО", "Квартал", "Направление", "Вид мероприятия", "Мероприятие", "Срок", "Статус", "Результат")


@dataclass
class ActivityRow:
    row: int
    school: School
    year: int
    quarter: int
    direction: Direction
    activity_type: ActivityType | None
    title: str
    due_on: dt.date
    status: str
    result: str
    reason: str


@register
class ActivityImporter(SheetImporter):
    sheet_name = "Мероприятия"
    columns = COLUMNS
    required_columns = ("Код ОО", "Квартал", "Направление", "Вид мероприятия", "Мероприятие", "Статус")
    order = 40

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> ActivityRow:
        school = ctx.school(row.get("Код ОО"))
        year, quarter = parse_quarter(row.get("Квартал"), "Квартал")
        if not 2000 <= year <= 2100:
            raise RowError("Квартал", _("год %(y)s вне допустимого диапазона") % {"y": year})
        start, end = quarter_bounds(year, quarter)
        if start > _today(ctx):
            raise RowError("Квартал", _("%(q)s квартал %(y)s г. ещё не начался") % {"q": quarter, "y": year})

        direction = ctx.lookup(
            Direction.objects.all(),
            row.get("Направление"),
            "Направление",
            what=WHAT_DIRECTION,
            required=False,
            cache_key="activity-directions",
        )
        activity_type = ctx.lookup(
            _types_of(ctx, direction),
            row.get("Вид мероприятия"),
            "Вид мероприятия",
            what=WHAT_TYPE,
            required=False,
            cache_key=f"activity-types:{direction.pk if direction else '*'}",
        )
        if direction is None:
            if activity_type is None:
                raise RowError("Направление", _("укажите направление (или вид мероприятия из перечня)"))
            direction = activity_type.direction

        title = parse_text(row.get("Мероприятие"), "Мероприятие", max_length=1000)
        if not title:
            if activity_type is None:
                raise RowError("Мероприятие", _("укажите мероприятие или вид мероприятия из перечня"))
            title = activity_type.name[:1].upper() + activity_type.name[1:]
        due_on = parse_date(row.get("Срок"), "Срок") or end
        if due_on < dt.date(year - 2, 1, 1) or due_on > dt.date(year + 2, 12, 31):
            raise RowError(
                "Срок",
                _("срок %(d)s далёк от квартала %(y)s-Q%(q)s") % {"d": date_text(due_on), "y": year, "q": quarter},
            )
        status = parse_choice(row.get("Статус"), LineStatus, "Статус")
        text = parse_text(row.get("Результат"), "Результат", max_length=20000)
        result, reason = text, ""
        if status in NEEDS_REASON:
            if not text:
                raise RowError(
                    "Результат",
                    _("для статуса «%(s)s» укажите в столбце «Результат» причину") % {"s": LineStatus(status).label},
                )
            result, reason = "", text

        existing = _reports_in_review(ctx, year, quarter).get(school.pk)
        if existing is not None:
            raise RowError(
                "Квартал",
                _("отчёт ОО за %(p)s сейчас в статусе «%(s)s» и ведётся на портале — импорт в него невозможен")
                % {"p": existing.period_label, "s": existing.get_status_display()},
            )
        key = (school.pk, year, quarter, direction.pk, normalize_name(title), due_on)
        seen: dict = ctx.data.setdefault("activity_rows", {})
        if key in seen:
            raise RowError(None, _("повторяет строку %(n)s") % {"n": seen[key]})
        seen[key] = ctx.row_number or 0
        return ActivityRow(
            ctx.row_number or 0, school, year, quarter, direction, activity_type, title, due_on, status, result, reason
        )

    def write(self, cleaned_rows: list[ActivityRow], ctx: ImportContext) -> tuple[int, int]:
        """Plan every row in memory against what the database holds, then write in bulk.

        The plan walks the rows in order, exactly as a row-by-row write would (an activity created by
        one row is found by a later row of the same roadmap), so the preview and the counts are the
        same; the writes are then a fixed number of bulk statements with their history records.
        """
        created = updated = 0
        user = ctx.user
        approve = ctx.is_staff_import
        now = timezone.now()
        status_labels = {status.value: str(status.label) for status in LineStatus}

        roadmap_keys = {(item.school.pk, quarter_academic_year(item.year, item.quarter)) for item in cleaned_rows}
        roadmaps = _existing_roadmaps(roadmap_keys)
        activities, activity_counts = _existing_activities(roadmaps, cleaned_rows)
        reports = _existing_reports(roadmaps, {(item.school.pk, item.year, item.quarter) for item in cleaned_rows})
        lines = _existing_lines(reports)

        new_roadmaps: list[Roadmap] = []
        new_reports: list[QuarterlyReport] = []
        new_activities: list[Activity] = []
        new_lines: dict[tuple, ActivityReport] = {}
        changed_lines: dict[tuple, ActivityReport] = {}
        changed_fields: set[str] = set()
        used_reports: dict[tuple[int, int, int], QuarterlyReport] = {}
        for item in cleaned_rows:
            ctx.row_number = item.row
            academic_year = quarter_academic_year(item.year, item.quarter)
            roadmap_key = (item.school.pk, academic_year)
            roadmap = roadmaps.get(roadmap_key)
            if roadmap is None:
                roadmap = Roadmap(
                    school=item.school,
                    academic_year=academic_year,
                    status=RoadmapStatus.APPROVED if approve else RoadmapStatus.DRAFT,
                )
                if approve:
                    roadmap.approved_at, roadmap.approved_by = now, user
                roadmaps[roadmap_key] = roadmap
                new_roadmaps.append(roadmap)
                ctx.change(
                    "create",
                    _("дорожная карта %(s)s на %(y)s учебный год")
                    % {"s": item.school.name, "y": academic_year_label(academic_year)},
                )
            report_key = (item.school.pk, item.year, item.quarter)
            report = used_reports.get(report_key)
            if report is None:
                report = reports.get(report_key)
                if report is None:
                    report = QuarterlyReport(roadmap=roadmap, year=item.year, quarter=item.quarter)
                    new_reports.append(report)
                used_reports[report_key] = report
            activity_key = (*roadmap_key, item.direction.pk, item.due_on, normalize_name(item.title))
            activity = activities.get(activity_key)
            if activity is None:
                activity_counts[roadmap_key] = activity_counts.get(roadmap_key, 0) + 1
                activity = Activity(
                    roadmap=roadmap,
                    direction=item.direction,
                    activity_type=item.activity_type,
                    title=item.title,
                    due_on=item.due_on,
                    order=activity_counts[roadmap_key],
                )
                # Not `full_clean()`: every value was checked when the row was cleaned (lengths,
                # dates, catalogue entries), and its foreign key and constraint checks would cost
                # queries per row.
                activities[activity_key] = activity
                new_activities.append(activity)
            line_key = (report_key, activity_key)
            line = new_lines.get(line_key)
            if line is None and report.pk is not None and activity.pk is not None:
                line = lines.get((report.pk, activity.pk))
            values = {"status": item.status, "result": item.result, "reason": item.reason}
            label = f"{item.school.code}, {period_string(item.year, item.quarter)}: «{item.title[:60]}» — {status_labels[item.status]}"
            if line is None:
                new_lines[line_key] = ActivityReport(report=report, activity=activity, **values)
                created += 1
                ctx.change("create", label)
            else:
                changed = [f for f, v in values.items() if getattr(line, f) != v]
                if changed:
                    for f in changed:
                        setattr(line, f, values[f])
                    if line.pk is not None:
                        changed_lines[line_key] = line
                        changed_fields.update(changed)
                    updated += 1
                    ctx.change("update", label)

        bulk = {"batch_size": BATCH_SIZE, "default_user": user}
        bulk_create_with_history(new_roadmaps, Roadmap, **bulk)
        bulk_create_with_history(new_reports, QuarterlyReport, **bulk)
        bulk_create_with_history(new_activities, Activity, **bulk)
        bulk_create_with_history(list(new_lines.values()), ActivityReport, **bulk)
        if changed_lines:
            bulk_update_with_history(
                # Only the columns some line changed (each a CASE over the lines): the others keep their values.
                list(changed_lines.values()),
                ActivityReport,
                [f for f in ("status", "result", "reason") if f in changed_fields],
                **bulk,
            )
        if approve:
            _approve_reports([r for r in used_reports.values() if r.status != ReportStatus.APPROVED], user, now)
        return created, updated


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
