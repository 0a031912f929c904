"""The job's progress (polled as JSON), its retry, and the files: PDF, xlsx, the ZIP of signed PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.downloads import download_response
from core.exporters import XLSX_CONTENT_TYPE
from core.forms import message_service_errors
from core.jobs import job_status_view
from core.scope import has_role

from .. import permissions, selectors, services
from ..exports import stream_zip
from ..filters import ReferenceFilterSet
from ..models import ReferenceVersion, RenderJob
from .common import _filename

# Polled by the reference page: the job's state, looked up through the user's scope.
job_status = job_status_view(selectors.render_jobs_for)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.job_for(request.user, pk)
    except RenderJob.DoesNotExist as exc:
        raise Http404("Задание не найдено") from exc
    try:
        services.job_retry(job=job, user=request.user)
    except ValidationError as exc:
        message_service_errors(request, exc)
    else:
        messages.info(request, "Формирование запущено повторно.")
    return redirect("reports:detail", pk=job.version.reference_id)


def _version(request: HttpRequest, pk: int) -> ReferenceVersion:
    return get_object_or_404(
        ReferenceVersion.objects.select_related("reference").filter(
            reference__in=selectors.references_for(request.user).values("pk")
        ),
        pk=pk,
    )


@login_required
@require_GET
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not version.pdf:
        raise Http404("PDF этой версии ещё не сформирован")
    return download_response(
        bytes(version.pdf),
        filename=_filename(version, "pdf"),
        content_type="application/pdf",
        inline=not request.GET.get("download"),
    )


@login_required
@require_GET
def version_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not version.xlsx:
        raise Http404("Таблицы этой версии ещё не сформированы")
    return download_response(bytes(version.xlsx), filename=_filename(version, "xlsx"), content_type=XLSX_CONTENT_TYPE)


@login_required
@require_GET
def signed_zip(request: HttpRequest) -> StreamingHttpResponse:
    """Signed PDFs of the filtered list as one ZIP, streamed one file at a time."""
    if not has_role(request.user, *permissions.ZIP_ROLES):
        raise PermissionDenied("Архив подписанных справок доступен координатору и руководителю.")
    filterset = ReferenceFilterSet(request.GET, queryset=selectors.reference_list(request.user), request=request)
    references = filterset.qs if filterset.is_valid() else filterset.unfiltered()
    versions = list(selectors.signed_versions_for(request.user, references))
    if not versions:
        messages.info(request, "Подписанных справок по выбранным условиям нет.")
        return redirect(f"{reverse('reports:list')}?{request.GET.urlencode()}")

    def entries():
        for v in versions:
            name = f"{v.scope_code}/{v.template}-{v.date_from:%Y%m%d}-{v.date_to:%Y%m%d}-v{v.number}.pdf"
            yield name, (lambda pk=v.pk: bytes(ReferenceVersion.objects.values_list("pdf", flat=True).get(pk=pk)))

    return download_response(
        stream_zip(entries()),
        filename=f"podpisannye-spravki-{timezone.localdate():%Y%m%d}.zip",
        content_type="application/zip",
    )
