"""The school card: the school's data, registry, curators, partners, risk profile, history and the apps' sections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.models import User
from core.registry import school_card_sections
from core.scope import school_or_404

from ..models import RiskFactor, School
from ..permissions import can_edit_school
from ..selectors.directory import (
    LEVEL_CSS,
    risk_factors_for_year,
    risk_profile_rows,
    risk_year_choices,
    risk_years,
    school_card,
)
from ..selectors.history import school_history

HISTORY_LIMIT = 100


def _card_sections(user: User, school: School) -> list[dict]:
    """Sections other apps add to the card (`<app>/school_card.py`, registered in
    `core.registry.school_card_sections`)."""
    sections: list[dict] = []
    for app_sections in school_card_sections:
        sections.extend(app_sections(user, school))
    sections.sort(key=lambda s: s.get("order", 100))
    return sections


@login_required
@require_GET
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one school: data, registry, risk profile, causes, curators, partners,
    sections of the other apps and the history of changes."""
    user = request.user
    school = school_or_404(user, pk)
    catalogue = list(RiskFactor.objects.order_by("version", "order", "pk"))
    years_with_data = risk_years(school)
    try:
        year = int(request.GET.get("year", ""))
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = years_with_data[0] if years_with_data else timezone.localdate().year
    history = school_history(school, catalogue=catalogue, limit=HISTORY_LIMIT + 1)
    rows, other_rows = risk_profile_rows(school, year, catalogue)
    factors = risk_factors_for_year(year, catalogue)
    context = {
        "school": school,
        "can_edit": can_edit_school(user, school),
        "risk_year": year,
        "risk_years": risk_year_choices(years_with_data, catalogue, year),
        "risk_version": factors[0].version if factors else None,
        "risk_rows": rows,
        "risk_other_rows": other_rows,
        "risk_assessed": sum(1 for r in rows if r.level),
        "level_css": LEVEL_CSS,
        "history": history[:HISTORY_LIMIT],
        "history_truncated": len(history) > HISTORY_LIMIT,
        "history_limit": HISTORY_LIMIT,
        "sections": _card_sections(user, school),
        **school_card(user, school),
    }
    return render(request, "schools/school_detail.html", context)
