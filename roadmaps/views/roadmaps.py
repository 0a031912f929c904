"""Roadmap pages: the list, a roadmap with its activities and quarters, and its workflow actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import (
    academic_year_label,
    academic_year_of,
    academic_year_quarters,
    quarter_bounds,
)
from core.forms import apply_service_errors, message_service_errors
from core.lists import list_page
from core.models import Role
from core.scope import covers_school, has_role, school_or_404, schools_for
from core.versions import posted_version

from .. import services
from ..filters import RoadmapFilterSet
from ..forms import ActivityForm
from ..models import Activity, Direction, QuarterDeadline, Roadmap, RoadmapStatus
from ..permissions import CERTIFIERS, EDITORS, REVIEWERS, SUBMITTERS, can_edit_roadmap
from ..selectors import (
    REPORT_BADGES,
    roadmap_activity_counts,
    roadmaps_for,
)
from ..selectors.windows import default_deadline
from .common import ROADMAP_BADGES, _int


@login_required
@require_GET
def roadmap_list(request: HttpRequest) -> HttpResponse:
    """Roadmaps of the schools in the user's scope, filtered, sorted and one page at a time."""
    today_year = academic_year_of(timezone.localdate())
    roadmaps = roadmaps_for(request.user)
    years = sorted(set(roadmaps.values_list("academic_year", flat=True)) | {today_year}, reverse=True)
    filterset = RoadmapFilterSet(
        request.GET,
        queryset=roadmap_activity_counts(roadmaps),
        request=request,
        years=years,
    )
    listing = list_page(request, filterset)
    own_schools = (
        list(schools_for(request.user, roles=(Role.DIRECTOR,)).active())
        if has_role(request.user, Role.DIRECTOR)
        else []
    )
    existing = set(
        roadmaps.filter(school__in=own_schools, academic_year=today_year).values_list("school_id", flat=True)
    )
    return render(
        request,
        "roadmaps/roadmap_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "badges": ROADMAP_BADGES,
            "can_create": [s for s in own_schools if s.pk not in existing],
            "create_year": today_year,
            "create_year_label": academic_year_label(today_year),
            "previous_year_label": academic_year_label(today_year - 1),
        },
    )


@login_required
@require_POST
def roadmap_create(request: HttpRequest) -> HttpResponse:
    school = school_or_404(request.user, _int(request.POST.get("school")))
    if not covers_school(request.user, school, roles=EDITORS):
        raise PermissionDenied
    year = _int(request.POST.get("academic_year")) or academic_year_of(timezone.localdate())
    try:
        if request.POST.get("copy") == "1":
            roadmap = services.roadmap_copy_from_previous(school=school, academic_year=year, user=request.user)
            messages.success(
                request,
                f"Дорожная карта на {academic_year_label(year)} учебный год создана из прошлогодней: "
                f"{roadmap.activities.count()} мероприятий, сроки сдвинуты на год.",
            )
        else:
            roadmap = services.roadmap_create(school=school, academic_year=year, user=request.user)
            messages.success(request, f"Дорожная карта на {academic_year_label(year)} учебный год создана.")
    except ValidationError as exc:
        message_service_errors(request, exc)
        return redirect("roadmaps:roadmap-list")
    return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)


@login_required
@require_GET
def roadmap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=pk)
    user = request.user
    activities = list(
        roadmap.activities.select_related("direction", "activity_type", "indicator").order_by(
            "direction__order", "due_on", "order", "pk"
        )
    )
    directions = [
        {"direction": direction, "activities": [a for a in activities if a.direction_id == direction.pk]}
        for direction in Direction.objects.all()
    ]
    school = roadmap.school
    is_methodist = covers_school(user, school, roles=REVIEWERS)
    quarters = _roadmap_quarters(roadmap, can_start_late=is_methodist)
    transitions = list(roadmap.transitions.select_related("actor"))
    for a in activities:
        a.type_differs = bool(a.activity_type) and a.title.casefold() != a.activity_type.name.casefold()
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "school": school,
            "directions": directions,
            "activity_total": len(activities),
            "quarters": quarters,
            "transitions": transitions,
            "badge": ROADMAP_BADGES[roadmap.status],
            "report_badges": REPORT_BADGES,
            "can_edit": can_edit_roadmap(user, roadmap),
            "can_submit": roadmap.status in (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED)
            and covers_school(user, school, roles=SUBMITTERS),
            "can_review": roadmap.status == RoadmapStatus.SUBMITTED and is_methodist,
            "can_reopen": roadmap.status == RoadmapStatus.APPROVED and is_methodist,
            "can_certify": roadmap.status in (RoadmapStatus.SUBMITTED, RoadmapStatus.APPROVED)
            and not roadmap.certified_at
            and covers_school(user, school, roles=CERTIFIERS),
            "can_start_report": covers_school(user, school, roles=EDITORS),
            "last_return": next((t for t in reversed(transitions) if t.action in ("return", "reopen")), None)
            if roadmap.status == RoadmapStatus.RETURNED
            else None,
        },
    )


def _roadmap_quarters(roadmap: Roadmap, *, can_start_late: bool) -> list[dict]:
    """The academic year's quarters of a roadmap: its report, deadline and whether one may start.

    A quarter's report can be started from its first day until its deadline (the region's, else
    the default); a methodist may start it later too.
    """
    today = timezone.localdate()
    reports = {(r.year, r.quarter): r for r in roadmap.reports.all()}
    configured = {
        (d.year, d.quarter): d.deadline
        for d in QuarterDeadline.objects.filter(
            region_id=roadmap.school.municipality.region_id,
            year__in=[roadmap.academic_year, roadmap.academic_year + 1],
        )
    }
    quarters = []
    for y, q in academic_year_quarters(roadmap.academic_year):
        start, _end = quarter_bounds(y, q)
        deadline = configured.get((y, q)) or default_deadline(y, q)
        quarters.append(
            {
                "year": y,
                "quarter": q,
                "report": reports.get((y, q)),
                "started": start <= today,
                "deadline": deadline,
                "can_start": start <= today and (today <= deadline or can_start_late),
            }
        )
    return quarters


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, roadmap_pk: int, pk: int | None = None) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=roadmap_pk)
    activity = get_object_or_404(Activity, pk=pk, roadmap=roadmap) if pk else None
    if not covers_school(request.user, roadmap.school, roles=EDITORS):
        raise PermissionDenied
    if not can_edit_roadmap(request.user, roadmap):
        messages.error(request, f"Дорожная карта в статусе «{roadmap.get_status_display()}» — изменять её нельзя.")
        return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    initial = {"direction": _int(request.GET.get("direction"))} if not activity else None
    form = ActivityForm(request.POST or None, instance=activity, initial=initial, roadmap=roadmap)
    # The version the editor opened (kept stale on a refused save, so a blind resubmit is refused again).
    version = posted_version(request.POST) if request.method == "POST" else (activity.version if activity else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                roadmap=roadmap,
                user=request.user,
                data=form.service_data(),
                activity=activity,
                version=version if activity else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Мероприятие сохранено.")
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return render(
        request,
        "roadmaps/activity_form.html",
        {"roadmap": roadmap, "form": form, "activity": activity, "form_version": version},
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, roadmap_pk: int, pk: int) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=roadmap_pk)
    activity = get_object_or_404(Activity, pk=pk, roadmap=roadmap)
    try:
        services.activity_delete(activity=activity, user=request.user, version=posted_version(request.POST))
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, f"Мероприятие «{activity.title[:80]}» удалено.")
    return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)


ROADMAP_ACTIONS = {
    "submit": (services.roadmap_submit, "Дорожная карта отправлена на согласование методисту."),
    "approve": (services.roadmap_approve, "Дорожная карта утверждена."),
    "return": (services.roadmap_return, "Дорожная карта возвращена на доработку."),
    "certify": (services.roadmap_certify, "Дорожная карта заверена."),
    "reopen": (services.roadmap_reopen, "Дорожная карта открыта для изменений."),
}


@login_required
@require_POST
def roadmap_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=pk)
    if action not in ROADMAP_ACTIONS:
        raise Http404
    service, done = ROADMAP_ACTIONS[action]
    # Every button posts the version its page showed (core.versions): a stale one is refused.
    kwargs = {"version": posted_version(request.POST)}
    if action in ("approve", "return"):
        kwargs["comment"] = request.POST.get("comment", "")
    if action == "reopen":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(roadmap=roadmap, user=request.user, **kwargs)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
