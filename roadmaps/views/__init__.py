"""Views of the roadmaps app: parse input, check permission, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import (
    academic_year_label,
    academic_year_of,
    academic_year_quarters,
    current_quarter,
    date_text,
    parse_period,
    period_choices,
    period_string,
    previous_quarter,
    quarter_bounds,
    quarter_text,
)
from core.forms import apply_service_errors, message_service_errors
from core.lists import list_page
from core.models import Role
from schools.selectors import has_role, regions_for, schools_for

from .. import services
from ..exports import can_export
from ..filters import ReportFilterSet, RoadmapFilterSet
from ..forms import ActivityForm, DeadlineForm, LineForm
from ..models import Activity, Direction, QuarterDeadline, QuarterlyReport, ReportStatus, RoadmapStatus
from ..permissions import acts_as, can_edit_report, can_edit_roadmap
from ..selectors import (
    BOARD_STATUSES,
    REPORT_BADGES,
    evidence_for,
    municipality_table,
    report_history,
    report_lines,
    reports_for,
    review_queue,
    roadmap_activity_counts,
    roadmaps_for,
    school_statuses,
    status_counts,
)
from ..services.evidence import ACCEPT_ATTR, ALLOWED_LABEL
from ..windows import deadlines_by_region, default_deadline, report_deadline, report_window_open

ROADMAP_BADGES = {
    RoadmapStatus.DRAFT: "info",
    RoadmapStatus.SUBMITTED: "primary",
    RoadmapStatus.RETURNED: "warning",
    RoadmapStatus.APPROVED: "success",
}
LINE_BADGES = {"done": "success", "in_progress": "primary", "not_done": "danger", "postponed": "warning"}
REVIEW_ROLES = (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)


def _period_filter(request: HttpRequest) -> tuple[int, int] | None:
    """The `?period=2021-Q1` filter: None when absent, or unparsable (then the page says why and shows all)."""
    value = request.GET.get("period") or ""
    if not value:
        return None
    try:
        return parse_period(value)
    except ValidationError as exc:
        messages.warning(request, _("Фильтр по кварталу не применён: %(reason)s") % {"reason": exc.messages[0]})
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# Roadmaps ---------------------------------------------------------------------------------------


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
        list(schools_for(request.user, roles=(Role.DIRECTOR,))) if has_role(request.user, Role.DIRECTOR) else []
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
    school = get_object_or_404(schools_for(request.user), pk=_int(request.POST.get("school")))
    if not acts_as(request.user, school, Role.DIRECTOR, Role.METHODIST):
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
    directions = []
    for direction in Direction.objects.all():
        items = [a for a in activities if a.direction_id == direction.pk]
        directions.append({"direction": direction, "activities": items})
    reports = {(r.year, r.quarter): r for r in roadmap.reports.all()}
    today = timezone.localdate()
    school = roadmap.school
    is_methodist = acts_as(user, school, Role.METHODIST)
    configured = {
        (d.year, d.quarter): d.deadline
        for d in QuarterDeadline.objects.filter(
            region_id=school.municipality.region_id, year__in=[roadmap.academic_year, roadmap.academic_year + 1]
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
                "can_start": start <= today and (today <= deadline or is_methodist),
            }
        )
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
            and acts_as(user, school, Role.DIRECTOR),
            "can_review": roadmap.status == RoadmapStatus.SUBMITTED and is_methodist,
            "can_reopen": roadmap.status == RoadmapStatus.APPROVED and is_methodist,
            "can_certify": roadmap.status in (RoadmapStatus.SUBMITTED, RoadmapStatus.APPROVED)
            and not roadmap.certified_at
            and acts_as(user, school, Role.CURATOR),
            "can_start_report": acts_as(user, school, Role.DIRECTOR, Role.METHODIST),
            "last_return": next((t for t in reversed(transitions) if t.action in ("return", "reopen")), None)
            if roadmap.status == RoadmapStatus.RETURNED
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, roadmap_pk: int, pk: int | None = None) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=roadmap_pk)
    activity = get_object_or_404(Activity, pk=pk, roadmap=roadmap) if pk else None
    if not acts_as(request.user, roadmap.school, Role.DIRECTOR, Role.METHODIST):
        raise PermissionDenied
    if not can_edit_roadmap(request.user, roadmap):
        messages.error(request, f"Дорожная карта в статусе «{roadmap.get_status_display()}» — изменять её нельзя.")
        return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    initial = {"direction": _int(request.GET.get("direction"))} if not activity else None
    form = ActivityForm(request.POST or None, instance=activity, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(roadmap=roadmap, user=request.user, data=form.service_data(), activity=activity)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Мероприятие сохранено.")
            return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return render(request, "roadmaps/activity_form.html", {"roadmap": roadmap, "form": form, "activity": activity})


@login_required
@require_POST
def activity_delete(request: HttpRequest, roadmap_pk: int, pk: int) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=roadmap_pk)
    activity = get_object_or_404(Activity, pk=pk, roadmap=roadmap)
    try:
        services.activity_delete(activity=activity, user=request.user)
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
    kwargs = {}
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


# Quarterly reports ------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports in the user's scope; `?status=submitted` is the methodist's review queue."""
    reports = reports_for(request.user)
    periods = reports.order_by("-year", "-quarter").values_list("year", "quarter").distinct()
    filterset = ReportFilterSet(
        request.GET,
        queryset=reports.annotate(line_count=Count("lines", distinct=True)),
        request=request,
        periods=list(periods),
    )
    listing = list_page(request, filterset)
    return render(
        request,
        "roadmaps/report_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "badges": REPORT_BADGES,
            "queue": filterset.is_valid() and filterset.form.cleaned_data.get("status") == ReportStatus.SUBMITTED,
            "show_board": has_role(request.user, *REVIEW_ROLES),
            "show_export": can_export(request.user),
        },
    )


@login_required
@require_POST
def report_start(request: HttpRequest, roadmap_pk: int) -> HttpResponse:
    roadmap = get_object_or_404(roadmaps_for(request.user), pk=roadmap_pk)
    year, quarter = _int(request.POST.get("year")), _int(request.POST.get("quarter"))
    if not year or not quarter:
        messages.error(request, "Не указан квартал отчёта.")
        return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    try:
        report = services.report_create(roadmap=roadmap, year=year, quarter=quarter, user=request.user)
    except ValidationError as exc:
        message_service_errors(request, exc)
        return redirect("roadmaps:roadmap-detail", pk=roadmap.pk)
    return redirect("roadmaps:report-detail", pk=report.pk)


def _report_context(request: HttpRequest, report: QuarterlyReport, lines, forms=None) -> dict:
    user = request.user
    school = report.roadmap.school
    editable = can_edit_report(user, report)
    if editable and forms is None:
        forms = {line.pk: LineForm(line=line) for line in lines}
    directions: list[dict] = []
    for n, line in enumerate(lines, start=1):
        line.number = n
        line.form = forms.get(line.pk) if editable and forms else None
        line.badge = LINE_BADGES.get(line.status, "secondary")
        kind = line.activity.activity_type
        line.type_differs = bool(kind) and line.activity.title.casefold() != kind.name.casefold()
        if not directions or directions[-1]["direction"].pk != line.activity.direction_id:
            directions.append({"direction": line.activity.direction, "lines": []})
        directions[-1]["lines"].append(line)
    report_comments = [c for c in report.comments.select_related("author") if c.line_id is None]
    done = sum(1 for line in lines if line.status == "done")
    filled = sum(1 for line in lines if line.status)
    is_methodist = acts_as(user, school, Role.METHODIST)
    return {
        "report": report,
        "roadmap": report.roadmap,
        "school": school,
        "lines": lines,
        "directions": directions,
        "done_count": done,
        "filled_count": filled,
        "badge": REPORT_BADGES[report.status],
        "deadline": report_deadline(report),
        "window_open": report_window_open(report),
        "editable": editable,
        "can_submit": editable and acts_as(user, school, Role.DIRECTOR),
        "can_review": report.status == ReportStatus.SUBMITTED and is_methodist,
        "can_reopen": report.status == ReportStatus.APPROVED and is_methodist,
        "can_certify": report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        and not report.certified_at
        and acts_as(user, school, Role.CURATOR),
        "report_comments": report_comments,
        "history": report_history(report, lines),
        "form_version": report.version,
        "accept": ACCEPT_ATTR,
        "allowed_label": ALLOWED_LABEL,
        "max_upload_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The quarterly report: an editable form for the director, the review page for the methodist."""
    report = get_object_or_404(reports_for(request.user), pk=pk)
    if request.method == "GET":
        lines = report_lines(report)
        return render(request, "roadmaps/report_detail.html", _report_context(request, report, lines))

    school = report.roadmap.school
    if not acts_as(request.user, school, Role.DIRECTOR, Role.METHODIST):
        raise PermissionDenied
    lines = report_lines(report)
    forms = {line.pk: LineForm(request.POST, line=line) for line in lines}
    version = _int(request.POST.get("version")) or 0
    status = 200
    if all(form.is_valid() for form in forms.values()):
        files = {line.pk: request.FILES.getlist(f"line-{line.pk}-files") for line in lines}
        files = {k: v for k, v in files.items() if v}
        delete = [i for i in (_int(v) for v in request.POST.getlist("delete-evidence")) if i]
        try:
            services.report_save(
                report=report,
                user=request.user,
                version=version,
                lines={pk: form.service_data() for pk, form in forms.items()},
                files=files,
                delete_evidence=delete,
            )
        except services.ReportConflict as exc:
            messages.error(request, exc.message)
            status = 409
        except ValidationError as exc:
            message_service_errors(request, exc)
            status = 400
        else:
            if request.POST.get("action") == "submit":
                try:
                    services.report_submit(report=report, user=request.user)
                except ValidationError as exc:
                    messages.warning(request, "Черновик сохранён, но отчёт не отправлен. Исправьте:")
                    message_service_errors(request, exc)
                    return redirect("roadmaps:report-detail", pk=report.pk)
                messages.success(request, "Отчёт отправлен на проверку методисту.")
            else:
                messages.success(request, "Черновик отчёта сохранён.")
            return redirect("roadmaps:report-detail", pk=report.pk)
    else:
        messages.error(request, "Отчёт не сохранён: исправьте отмеченные поля.")
        status = 400
    # Re-render with the user's input intact and the version they started from.
    context = _report_context(request, report, lines, forms=forms)
    context["form_version"] = version
    return render(request, "roadmaps/report_detail.html", context, status=status)


REPORT_ACTIONS = {
    "submit": "Отчёт отправлен на проверку методисту.",
    "approve": "Отчёт утверждён.",
    "return": "Отчёт возвращён на доработку.",
    "certify": "Отчёт заверен.",
    "reopen": "Отчёт открыт для исправления.",
}


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(reports_for(request.user), pk=pk)
    if action not in REPORT_ACTIONS:
        raise Http404
    try:
        if action == "submit":
            services.report_submit(report=report, user=request.user)
        elif action == "approve":
            services.report_approve(report=report, user=request.user, comment=request.POST.get("comment", ""))
        elif action == "return":
            line_comments = {}
            for key, value in request.POST.items():
                if key.startswith("line-comment-") and _int(key.removeprefix("line-comment-")):
                    line_comments[int(key.removeprefix("line-comment-"))] = value
            services.report_return(
                report=report, user=request.user, comment=request.POST.get("comment", ""), line_comments=line_comments
            )
        elif action == "certify":
            services.report_certify(report=report, user=request.user)
        elif action == "reopen":
            services.report_reopen(report=report, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, REPORT_ACTIONS[action])
    return redirect("roadmaps:report-detail", pk=report.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to users who may see its school: attachment, never sniffed."""
    evidence = get_object_or_404(evidence_for(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Status board -----------------------------------------------------------------------------------


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
    shown = [s for s in statuses if s.key == filter_key] if filter_key else statuses
    recent = [current_quarter()]
    for _i in range(11):
        recent.append(previous_quarter(*recent[-1]))
    periods = period_choices(recent + [old for old in ((2021, 2), (2021, 1)) if old not in recent])
    regions = []
    if has_role(request.user, Role.COORDINATOR, Role.ADMIN):
        configured = deadlines_by_region(year, quarter)
        regions = [
            {"region": r, "deadline": configured.get(r.pk), "default": default_deadline(year, quarter)}
            for r in regions_for(request.user, roles=(Role.COORDINATOR, Role.ADMIN))
        ]
    return render(
        request,
        "roadmaps/status_board.html",
        {
            "statuses": shown,
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
