"""Quarterly report pages: the list, a report with its lines and evidence, and its workflow actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.downloads import download_response
from core.forms import message_service_errors
from core.lists import list_page
from core.scope import covers_school, has_role
from core.versions import posted_version

from .. import services
from ..filters import ReportFilterSet
from ..forms import LineForm
from ..models import QuarterlyReport, ReportStatus
from ..permissions import CERTIFIERS, EDITORS, REVIEWERS, SUBMITTERS, can_edit_report, can_export
from ..selectors import (
    REPORT_BADGES,
    certification_voided,
    evidence_for,
    report_history,
    report_lines,
    reports_for,
    roadmaps_for,
)
from ..selectors.windows import report_deadline, report_window_open
from ..services.evidence import ACCEPT_ATTR, ALLOWED_LABEL
from .common import LINE_BADGES, REVIEW_ROLES, _int


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
        forms = {line.pk: LineForm(line=line, academic_year=report.roadmap.academic_year) for line in lines}
    directions: list[dict] = []
    for n, line in enumerate(lines, start=1):
        line.number = n
        line.form = forms.get(line.pk) if editable and forms else None
        line.badge = LINE_BADGES.get(line.status, "secondary")
        shown = line.reported
        kind = shown.activity_type
        line.type_differs = bool(kind) and shown.title.casefold() != kind.name.casefold()
        if not directions or directions[-1]["direction"].pk != shown.direction_id:
            directions.append({"direction": shown.direction, "lines": []})
        directions[-1]["lines"].append(line)
    report_comments = [c for c in report.comments.select_related("author") if c.line_id is None]
    done = sum(1 for line in lines if line.status == "done")
    filled = sum(1 for line in lines if line.status)
    is_methodist = covers_school(user, school, roles=REVIEWERS)
    return {
        "certification_voided": certification_voided(report),
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
        "can_submit": editable and covers_school(user, school, roles=SUBMITTERS),
        "can_review": report.status == ReportStatus.SUBMITTED and is_methodist,
        "can_reopen": report.status == ReportStatus.APPROVED and is_methodist,
        "can_certify": report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        and not report.certified_at
        and covers_school(user, school, roles=CERTIFIERS),
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
    if not covers_school(request.user, school, roles=EDITORS):
        raise PermissionDenied
    if request.POST.get("action") == "submit" and not covers_school(request.user, school, roles=SUBMITTERS):
        # Refused before the draft is saved: only the school's director submits, and a refusal writes nothing.
        raise PermissionDenied("Отправить отчёт на проверку может только директор ОО.")
    lines = report_lines(report)
    year = report.roadmap.academic_year
    forms = {line.pk: LineForm(request.POST, line=line, academic_year=year) for line in lines}
    version = posted_version(request.POST)
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
                    services.report_submit(report=report, user=request.user, version=report.version)
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


def _line_comments(data) -> dict[int, str]:
    """The methodist's comments on lines, posted as `line-comment-<line id>`."""
    comments = {}
    for key, value in data.items():
        if key.startswith("line-comment-") and _int(key.removeprefix("line-comment-")):
            comments[int(key.removeprefix("line-comment-"))] = value
    return comments


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(reports_for(request.user), pk=pk)
    if action not in REPORT_ACTIONS:
        raise Http404
    # Every button posts the version its page showed (core.versions): a stale one is refused.
    version = posted_version(request.POST)
    try:
        if action in ("submit", "certify"):
            service = services.report_submit if action == "submit" else services.report_certify
            service(report=report, user=request.user, version=version)
        elif action == "approve":
            services.report_approve(
                report=report, user=request.user, comment=request.POST.get("comment", ""), version=version
            )
        elif action == "return":
            services.report_return(
                report=report,
                user=request.user,
                comment=request.POST.get("comment", ""),
                line_comments=_line_comments(request.POST),
                version=version,
            )
        elif action == "reopen":
            services.report_reopen(
                report=report, user=request.user, reason=request.POST.get("reason", ""), version=version
            )
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.success(request, REPORT_ACTIONS[action])
    return redirect("roadmaps:report-detail", pk=report.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an evidence file to users who may see its school: attachment named for its detected type."""
    evidence = get_object_or_404(evidence_for(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = download_response(handle, filename=evidence.original_name, content_type=evidence.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
