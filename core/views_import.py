"""Web workbook import (coordinator: their region; admin: everything) and the template download."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.downloads import download_response
from core.forms import apply_service_errors, message_service_errors, offered_only

from . import permissions, selectors, services
from .exporters import XLSX_CONTENT_TYPE, export_response
from .filters import ImportJobFilterSet
from .jobs import job_status_view
from .lists import list_page
from .models import ImportJob


def _max_mb() -> str:
    return f"{settings.WORKBOOK_MAX_BYTES / (1024 * 1024):.0f}"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Книга Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.validate_upload(upload)
        except ValidationError as exc:
            apply_service_errors(self, exc)
        return upload


class TemplateForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Муниципалитет"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Все муниципалитеты моей зоны ответственности"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = selectors.template_municipalities_for(user)
        offered_only(self, "municipality")
        if self.fields["municipality"].queryset.count() == 1:
            self.fields["municipality"].empty_label = None


def _require_import(request: HttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Upload form and the user's recent imports."""
    _require_import(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.import_job_create(user=request.user, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("portal:import-detail", pk=job.pk)
    else:
        form = UploadForm()
    filterset = ImportJobFilterSet(
        request.GET,
        queryset=selectors.import_jobs_for(request.user).filter(kind=ImportJob.Kind.IMPORT),
        request=request,
    )
    listing = list_page(request, filterset)
    return render(
        request,
        "portal/import_list.html",
        {"form": form, "listing": listing, "filter_form": filterset.form, "page": listing.page, "max_mb": _max_mb()},
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress, then the preview (counts, changes, row-numbered errors) or the result."""
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk)
    if job.kind == ImportJob.Kind.TEMPLATE:
        if not permissions.can_download_template(request.user):
            raise PermissionDenied
        return render(request, "portal/import_template_job.html", {"job": job})
    _require_import(request)
    data = job.result if job.result else job.preview
    errors = data.get("errors", [])
    sheets = [{**s, "errors": sum(1 for e in errors if e.get("sheet") == s["sheet"])} for s in data.get("sheets", [])]
    return render(
        request,
        "portal/import_detail.html",
        {
            "job": job,
            "data": data,
            "sheets": sheets,
            "errors": errors,
            "changes": data.get("changes", []),
            "changes_more": max(data.get("changes_total", 0) - len(data.get("changes", [])), 0),
            "can_confirm": job.status == ImportJob.Status.CHECKED and job.requested_by_id == request.user.pk,
        },
    )


# Polled by the detail page while the job runs (core.jobs: the same state for every job).
import_status = job_status_view(selectors.import_jobs_for)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(selectors.import_jobs_for(request.user), pk=pk, kind=ImportJob.Kind.IMPORT)
    _require_import(request)
    if job.requested_by_id != request.user.pk:
        raise PermissionDenied
    try:
        services.import_job_confirm(job=job, user=request.user)
    except ValidationError as exc:
        message_service_errors(request, exc)
    return redirect("portal:import-detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template_download(request: HttpRequest) -> HttpResponse:
    """The import template: one municipality is built right away, a whole region as a job."""
    if not permissions.can_download_template(request.user):
        raise PermissionDenied
    form = TemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        if municipality is None and form.fields["municipality"].queryset.count() == 1:
            municipality = form.fields["municipality"].queryset.get()
        if municipality is None:
            job = services.template_job_create(user=request.user, municipality=None)
            return redirect("portal:import-template-job", pk=job.pk)
        return export_response(services.template_build(user=request.user, municipality=municipality))
    jobs = selectors.import_jobs_for(request.user).filter(kind=ImportJob.Kind.TEMPLATE, requested_by=request.user)[:5]
    return render(request, "portal/import_template.html", {"form": form, "jobs": jobs})


@login_required
@require_GET
def template_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(
        selectors.import_jobs_for(request.user), pk=pk, kind=ImportJob.Kind.TEMPLATE, status=ImportJob.Status.DONE
    )
    if not permissions.can_download_template(request.user) or not job.output:
        raise PermissionDenied
    return download_response(job.output.open("rb"), filename=job.original_name, content_type=XLSX_CONTENT_TYPE)


# Included in `portal.urls.portal_patterns` (namespace "portal").
urlpatterns = [
    path("imports/", import_list, name="import-list"),
    path("workbook-template/", template_download, name="import-template"),
    path("imports/<int:pk>/", import_detail, name="import-detail"),
    path("imports/<int:pk>/status/", import_status, name="import-status"),
    path("imports/<int:pk>/confirm/", import_confirm, name="import-confirm"),
    path("workbook-template/<int:pk>/", import_detail, name="import-template-job"),
    path("workbook-template/<int:pk>/download/", template_job_download, name="import-template-download"),
]
