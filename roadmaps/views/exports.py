"""Views of the export of quarterly report lines to Excel (methodists, coordinators, admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.calendar import parse_period, period_choices
from core.downloads import download_response
from core.exporters import XLSX_CONTENT_TYPE
from core.forms import message_service_errors
from core.jobs import job_status_view

from ..models import QuarterlyReport, ReportExportJob
from ..permissions import can_export
from ..selectors.exports import export_jobs_for, export_schools_for
from ..services.exports import report_export_create

JOBS_SHOWN = 20


def _periods(user) -> list[tuple[str, str]]:
    """The quarters that have reports in the user's export scope, newest first."""
    rows = (
        QuarterlyReport.objects.filter(roadmap__school__in=export_schools_for(user))
        .order_by("-year", "-quarter")
        .values_list("year", "quarter")
        .distinct()
    )
    return period_choices(list(rows))


@login_required
@require_http_methods(["GET", "POST"])
def report_export(request: HttpRequest) -> HttpResponse:
    """«Выгрузить отчёты ОО в Excel»: choose the quarters, queue the job, see the user's exports."""
    if not can_export(request.user):
        raise PermissionDenied
    if request.method == "POST":
        if not request.POST.get("period_from") or not request.POST.get("period_to"):
            messages.error(request, "Выберите квартал начала и квартал окончания периода.")
            return redirect("roadmaps:report-export")
        try:
            start = parse_period(request.POST["period_from"], what=_("начала периода"))
            end = parse_period(request.POST["period_to"], what=_("окончания периода"))
            job = report_export_create(user=request.user, period_from=start, period_to=end)
        except ValidationError as exc:
            message_service_errors(request, exc)
            return redirect("roadmaps:report-export")
        messages.success(request, f"Выгрузка №{job.pk} за {job.period_label} поставлена в очередь.")
        return redirect("roadmaps:report-export")
    periods = _periods(request.user)
    jobs = list(export_jobs_for(request.user)[:JOBS_SHOWN])
    running = next((job for job in jobs if job.is_running and not job.is_stale), None)
    return render(
        request,
        "roadmaps/report_export.html",
        {
            "periods": periods,
            "period_from": periods[-1][0] if periods else "",
            "period_to": periods[0][0] if periods else "",
            "jobs": jobs,
            "running": running,
        },
    )


# The job's state for the page's polling script (core.jobs: the same for every job).
report_export_status = job_status_view(export_jobs_for, allowed=can_export)


@login_required
@require_GET
def report_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The finished file, to the user who asked for it only."""
    if not can_export(request.user):
        raise PermissionDenied
    job = get_object_or_404(export_jobs_for(request.user), pk=pk, status=ReportExportJob.Status.DONE)
    if not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download_response(handle, filename=job.filename, content_type=XLSX_CONTENT_TYPE)
