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

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.workbook import (
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
from schools.models import School, academic_year_label

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
    quarter_bounds,
)
from .services.reports import NEEDS_REASON, quarter_academic_year

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
        if start > timezone.localdate():
            raise RowError("Квартал", _("%(q)s квартал %(y)s г. ещё не начался") % {"q": quarter, "y": year})

        direction = ctx.lookup(
            Direction.objects.all(), row.get("Направление"), "Направление", what=_("направление"), required=False
        )
        types = ActivityType.objects.filter(direction=direction) if direction else ActivityType.objects.all()
        activity_type = ctx.lookup(
            types.select_related("direction"),
            row.get("Вид мероприятия"),
            "Вид мероприятия",
            what=_("вид мероприятия"),
            required=False,
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
                _("срок %(d)s далёк от квартала %(y)s-Q%(q)s")
                % {"d": due_on.strftime("%d.%m.%Y"), "y": year, "q": quarter},
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

        existing = QuarterlyReport.objects.filter(roadmap__school=school, year=year, quarter=quarter).first()
        if existing and existing.status in (ReportStatus.SUBMITTED, ReportStatus.RETURNED):
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
        created = updated = 0
        user = ctx.user
        approve = ctx.is_staff_import
        now = timezone.now()
        reports: dict[tuple[int, int, int], QuarterlyReport] = {}
        for item in cleaned_rows:
            ctx.row_number = item.row
            academic_year = quarter_academic_year(item.year, item.quarter)
            roadmap, roadmap_created = Roadmap.objects.get_or_create(
                school=item.school,
                academic_year=academic_year,
                defaults={"status": RoadmapStatus.APPROVED if approve else RoadmapStatus.DRAFT},
            )
            if roadmap_created:
                if approve:
                    Roadmap.objects.filter(pk=roadmap.pk).update(approved_at=now, approved_by=user)
                ctx.change(
                    "create",
                    _("дорожная карта %(s)s на %(y)s учебный год")
                    % {"s": item.school.name, "y": academic_year_label(academic_year)},
                )
            report_key = (item.school.pk, item.year, item.quarter)
            report = reports.get(report_key)
            if report is None:
                report, _c = QuarterlyReport.objects.get_or_create(
                    roadmap=roadmap, year=item.year, quarter=item.quarter
                )
                reports[report_key] = report
            activity = _find_activity(roadmap, item)
            if activity is None:
                activity = Activity(
                    roadmap=roadmap,
                    direction=item.direction,
                    activity_type=item.activity_type,
                    title=item.title,
                    due_on=item.due_on,
                    order=roadmap.activities.count() + 1,
                )
                activity._history_user = user
                activity.full_clean(exclude=["roadmap"])
                activity.save()
            line = ActivityReport.objects.filter(report=report, activity=activity).first()
            values = {"status": item.status, "result": item.result, "reason": item.reason}
            label = f"{item.school.code}, {item.year}-Q{item.quarter}: «{item.title[:60]}» — {LineStatus(item.status).label}"
            if line is None:
                line = ActivityReport(report=report, activity=activity, **values)
                line._history_user = user
                line.save()
                created += 1
                ctx.change("create", label)
            else:
                changed = [f for f, v in values.items() if getattr(line, f) != v]
                if changed:
                    for f in changed:
                        setattr(line, f, values[f])
                    line._history_user = user
                    line.save(update_fields=changed)
                    updated += 1
                    ctx.change("update", label)
        if approve:
            for report in reports.values():
                if report.status == ReportStatus.APPROVED:
                    continue
                from_status = report.status
                report.status = ReportStatus.APPROVED
                report.submitted_at = report.submitted_at or now
                report.approved_at = now
                report.approved_by = user
                report.version += 1
                report._history_user = user
                report.save()
                ReportTransition.objects.create(
                    report=report,
                    actor=user,
                    from_status=from_status,
                    to_status=ReportStatus.APPROVED,
                    action="import",
                    comment=_("Импорт из книги Excel (лист «Мероприятия»): отчёт утверждён на бумаге."),
                )
        return created, updated


def _find_activity(roadmap: Roadmap, item: ActivityRow) -> Activity | None:
    key = normalize_name(item.title)
    for activity in roadmap.activities.filter(direction=item.direction, due_on=item.due_on):
        if normalize_name(activity.title) == key:
            return activity
    return None
