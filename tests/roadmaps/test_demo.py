"""Demo data: idempotent, every report state present, Bryansk coverage as in seed 001."""

from __future__ import annotations

import pytest
from django.db.models import Count

from core.calendar import current_quarter
from roadmaps import demo
from roadmaps.models import (
    Activity,
    ActivityReport,
    Evidence,
    QuarterlyReport,
    ReportTransition,
    ReviewComment,
    Roadmap,
)
from schools import demo as schools_demo

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Roadmap, Activity, QuarterlyReport, ActivityReport, ReportTransition, ReviewComment, Evidence)
    )


def test_demo_is_idempotent_and_covers_every_state():
    schools_demo.load()
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    states_2021 = set(QuarterlyReport.objects.filter(year=2021).values_list("status", flat=True))
    assert states_2021 == {"draft", "submitted", "returned", "approved"}
    assert ReviewComment.objects.filter(report__status="returned", line__isnull=False).exists()
    assert QuarterlyReport.objects.filter(certified_at__isnull=False).exists()
    year, quarter = current_quarter()
    current = QuarterlyReport.objects.filter(year=year, quarter=quarter)
    for code in ("BEL-01", "VLG-01", "BRY-09"):
        assert current.filter(roadmap__school__code=code).exists(), code
    # dir.nikolskaya starts hers: the roadmap is there, the report is not.
    assert Roadmap.objects.filter(school__code="BEL-02", academic_year__gt=2021).exists()

    # Bryansk, January–June 2021: each type implemented in as many schools as seed 001 counts.
    implemented = dict(
        ActivityReport.objects.filter(
            report__roadmap__school__code__startswith="BRY-",
            report__status="approved",
            report__year=2021,
            report__quarter__in=[1, 2],
            status="done",
        )
        .values_list("activity__activity_type__code")
        .annotate(schools=Count("report__roadmap__school", distinct=True))
    )
    assert implemented == demo.BRY_COVERAGE
    assert implemented["teachers-09"] == 16 and implemented["teachers-05"] == 13
