"""Dashboard panels of the roadmaps app, one per role that works with roadmaps and reports."""

from __future__ import annotations

from django.db.models import Count, Window
from django.utils import timezone

from core.calendar import academic_year_label, academic_year_of, current_quarter, period_string, quarter_academic_year
from core.models import Role, User
from core.registry import home_panels
from core.scope import has_role, schools_for

from .models import QuarterlyReport, Roadmap
from .selectors import (
    BOARD_STATUSES,
    REPORT_BADGES,
    certify_queue,
    municipality_table,
    review_queue,
    school_statuses,
    status_counts,
)
from .selectors.windows import deadlines_by_region, default_deadline


def _director_panel(user: User) -> dict | None:
    schools = list(schools_for(user, roles=(Role.DIRECTOR,)).select_related("municipality"))
    if not schools:
        return None
    year, quarter = current_quarter()
    academic_year = quarter_academic_year(year, quarter)
    today_year = academic_year_of(timezone.localdate())
    ids = [s.pk for s in schools]
    roadmaps = {
        (r.school_id, r.academic_year): r
        for r in Roadmap.objects.filter(school_id__in=ids, academic_year__in={academic_year, today_year})
    }
    reports = {
        r.roadmap.school_id: r
        for r in QuarterlyReport.objects.filter(roadmap__school_id__in=ids, year=year, quarter=quarter).select_related(
            "roadmap"
        )
    }
    deadlines = deadlines_by_region(year, quarter)
    open_returned = {
        r.roadmap.school_id: r
        for r in QuarterlyReport.objects.filter(roadmap__school_id__in=ids, status="returned")
        .exclude(year=year, quarter=quarter)
        .select_related("roadmap")
        .order_by("-year", "-quarter")
    }
    rows = []
    for s in schools:
        report = reports.get(s.pk)
        rows.append(
            {
                "school": s,
                "roadmap": roadmaps.get((s.pk, academic_year)) or roadmaps.get((s.pk, today_year)),
                "report": report,
                "report_badge": REPORT_BADGES.get(report.status) if report else None,
                "deadline": deadlines.get(s.municipality.region_id) or default_deadline(year, quarter),
                "returned": open_returned.get(s.pk),
            }
        )
    return {
        "template": "roadmaps/panels/director.html",
        "order": 10,
        "rows": rows,
        "year": year,
        "quarter": quarter,
        "academic_year_label": academic_year_label(academic_year),
    }


def _methodist_panel(user: User) -> dict:
    year, quarter = current_quarter()
    statuses = school_statuses(user, year, quarter, roles=(Role.METHODIST,))
    # The first ten of the queue and its length in one query (a window count over the whole queue).
    queue = list(review_queue(user).annotate(queue_total=Window(Count("pk")))[:10])
    return {
        "template": "roadmaps/panels/methodist.html",
        "order": 10,
        "queue": queue,
        "queue_count": queue[0].queue_total if queue else 0,
        "statuses": statuses,
        "counts": status_counts(statuses),
        "total": len(statuses),
        "year": year,
        "quarter": quarter,
        "period": period_string(year, quarter),
    }


def _curator_panel(user: User) -> dict:
    queue = certify_queue(user)
    return {
        "template": "roadmaps/panels/curator.html",
        "order": 10,
        "queue": list(queue[:20]),
        "queue_count": queue.count(),
    }


def _coordinator_panel(user: User) -> dict:
    year, quarter = current_quarter()
    table = municipality_table(user, year, quarter)
    totals = {key: sum(row.counts[key] for row in table) for key, _l, _c in BOARD_STATUSES}
    return {
        "template": "roadmaps/panels/coordinator.html",
        "order": 10,
        "table": table,
        "board_statuses": BOARD_STATUSES,
        "totals": [totals[key] for key, _l, _c in BOARD_STATUSES],
        "total": sum(row.total for row in table),
        "year": year,
        "quarter": quarter,
        "period": period_string(year, quarter),
    }


@home_panels.register(order=20)
def panels(user: User) -> list[dict]:
    result = []
    if has_role(user, Role.DIRECTOR):
        panel = _director_panel(user)
        if panel:
            result.append(panel)
    if has_role(user, Role.METHODIST):
        result.append(_methodist_panel(user))
    if has_role(user, Role.CURATOR):
        result.append(_curator_panel(user))
    if has_role(user, Role.COORDINATOR) or (has_role(user, Role.HEAD) and not has_role(user, Role.METHODIST)):
        result.append(_coordinator_panel(user))
    return result
