"""The school card's monitoring section (`sections(user, school) -> list[dict]`): methodical visits
and a link to the results dynamics. Three queries."""

from __future__ import annotations

from core.models import User
from core.registry import school_card_sections
from schools.models import School

from .permissions import can_enter_results, can_record_visits
from .selectors import school_results_summary, visits_of_school


@school_card_sections.register(order=30)
def sections(user: User, school: School) -> list[dict]:
    visits = visits_of_school(school, limit=20)
    return [
        {
            "template": "monitoring/school_card_section.html",
            "order": 40,
            "anchor": "monitoring",
            "title": "Посещения и результаты",
            "school": school,
            "visits": visits,
            "results": school_results_summary(school),
            "can_record": can_record_visits(user),
            "can_enter_results": can_enter_results(user),
        }
    ]
