"""Reporting windows: a quarter's report is editable from the quarter's first day until its deadline.

The deadline is set per region (`QuarterDeadline`); without one, it is the quarter's last day plus
`settings.REPORT_DEADLINE_DEFAULT_DAYS` (10 days by default).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.calendar import quarter_bounds

from ..models import QuarterDeadline, QuarterlyReport


def default_deadline(year: int, quarter: int) -> dt.date:
    days = settings.REPORT_DEADLINE_DEFAULT_DAYS
    return quarter_bounds(year, quarter)[1] + dt.timedelta(days=days)


def deadline_for(region_id: int, year: int, quarter: int) -> dt.date:
    row = QuarterDeadline.objects.filter(region_id=region_id, year=year, quarter=quarter).first()
    return row.deadline if row else default_deadline(year, quarter)


def deadlines_by_region(year: int, quarter: int) -> dict[int, dt.date]:
    """Configured deadlines of one quarter, by region id (one query)."""
    return dict(QuarterDeadline.objects.filter(year=year, quarter=quarter).values_list("region_id", "deadline"))


def report_deadline(report: QuarterlyReport) -> dt.date:
    cached = report.__dict__.get("_deadline")
    if cached is None:
        cached = deadline_for(report.roadmap.school.municipality.region_id, report.year, report.quarter)
        report.__dict__["_deadline"] = cached
    return cached


def report_window_open(report: QuarterlyReport, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    start, _end = quarter_bounds(report.year, report.quarter)
    return start <= today <= report_deadline(report)
