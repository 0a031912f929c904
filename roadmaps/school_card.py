"""The roadmaps section of the school card: the school's roadmaps and quarterly reports with statuses.

`sections(user, school)` returns dicts like the dashboard panels ("template", "order", context keys read
as `section.<key>`); the school card includes each template. The caller has already checked that the
user may see the school; the queries here are scoped again all the same.
"""

from __future__ import annotations

from core.models import User
from core.registry import school_card_sections
from schools.models import School

from .selectors import REPORT_BADGES, reports_for, roadmap_activity_counts, roadmaps_for

ROADMAP_BADGES = {"draft": "info", "submitted": "primary", "returned": "warning", "approved": "success"}


@school_card_sections.register(order=20)
def sections(user: User, school: School) -> list[dict]:
    roadmaps = list(roadmap_activity_counts(roadmaps_for(user).filter(school=school)).order_by("-academic_year"))
    reports = list(reports_for(user).filter(roadmap__school=school).order_by("-year", "-quarter")[:40])
    for r in roadmaps:
        r.badge = ROADMAP_BADGES.get(r.status, "secondary")
    for r in reports:
        r.badge = REPORT_BADGES.get(r.status, "secondary")
    return [
        {
            "template": "roadmaps/_school_card.html",
            "order": 30,
            "anchor": "roadmaps",
            "title": "Дорожные карты и отчёты",
            "roadmaps": roadmaps,
            "reports": reports,
        }
    ]
