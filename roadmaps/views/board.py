"""The status board of the schools' roadmaps and reports, and the regional report deadlines."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.calendar import (
    current_quarter,
    date_text,
    period_choices,
    period_string,
    previous_quarter,
    quarter_text,
)
from core.forms import message_service_errors
from core.lists import paginate
from core.models import Role
from core.scope import has_role, regions_for

from .. import services
from ..forms import DeadlineForm
from ..selectors import (
    BOARD_STATUSES,
    municipality_table,
    review_queue,
    school_statuses,
    status_counts,
)
from ..selectors.windows import deadlines_by_region, default_deadline
from .common import REVIEW_ROLES, _int, _period_filter


@login_required
@require_GET
def status_board(request: HttpRequest) -> HttpResponse:
    """Each school's report status for a quarter (methodists), or per municipality (coordinators)."""
    if not has_role(request.user, *REVIEW_ROLES):
        raise PermissionDenied
    year, quarter = _period_filter(request) or current_quarter()
    statuses = school_statuses(request.user, year, quarter, roles=REVIEW_ROLES)
    table = (
        municipality_table(request.user, year, quarter)
        if has_role(request.user, Role.COORDINATOR, Role.HEAD, Role.ADMIN)
        else []
    )
    filter_key = request.GET.get("status") or ""
    shown = paginate(request, [s for s in statuses if s.key == filter_key] if filter_key else statuses)
    recent = [current_quarter()]
    for _i in range(11):
        recent.append(previous_quarter(*recent[-1]))
    periods = period_choices(recent + [old for old in ((2021, 2), (2021, 1)) if old not in recent])
    regions = []
    if has_role(request.user, Role.COORDINATOR, Role.ADMIN):
        configured = deadlines_by_region(year, quarter)
        regions = [
            {"region": r, "deadline": configured.get(r.pk), "default": default_deadline(year, quarter)}
            for r in regions_for(request.user, roles=(Role.COORDINATOR, Role.ADMIN)).active()
        ]
    return render(
        request,
        "roadmaps/status_board.html",
        {
            "statuses": shown.object_list,
            "page": shown,
            "counts": status_counts(statuses),
            "total": len(statuses),
            "table": table,
            "board_statuses": BOARD_STATUSES,
            "year": year,
            "quarter": quarter,
            "period": period_string(year, quarter),
            "periods": periods,
            "filter_key": filter_key,
            "queue_count": review_queue(request.user).count() if has_role(request.user, Role.METHODIST) else None,
            "deadline_regions": regions,
            "table_totals": [sum(row.cells[i] for row in table) for i in range(len(BOARD_STATUSES))],
            "table_total": sum(row.total for row in table),
        },
    )


@login_required
@require_POST
def deadline_update(request: HttpRequest) -> HttpResponse:
    """A coordinator sets the quarter's report deadline for their region."""
    region = get_object_or_404(regions_for(request.user), pk=_int(request.POST.get("region")))
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        back = reverse("roadmaps:status-board")
        if "period" in form.cleaned_data:
            back += "?" + urlencode({"period": period_string(*form.cleaned_data["period"])})
        return redirect(back)
    (y, q), deadline = form.cleaned_data["period"], form.cleaned_data["deadline"]
    try:
        services.deadline_set(region=region, year=y, quarter=q, deadline=deadline, user=request.user)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, f"Срок сдачи отчётов за {quarter_text(y, q)} ({region.name}): {date_text(deadline)}.")
    return redirect(f"{reverse('roadmaps:status-board')}?{urlencode({'period': period_string(y, q)})}")
