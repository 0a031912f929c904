"""Methodical visits, assessment results and their dynamics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import date_text
from core.forms import apply_service_errors
from core.lists import list_page
from core.models import Role
from core.scope import has_role, municipalities_for, school_or_404, schools_for

from .. import permissions as perm
from ..filters import ResultFilterSet, VisitFilterSet
from ..forms import ResultForm, VisitForm
from ..selectors import (
    municipality_dynamics,
    results_for,
    school_dynamics,
    visits_for,
)
from ..services import (
    result_delete,
    result_save,
    visit_delete,
    visit_save,
)

# --- visits -------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    filterset = VisitFilterSet(request.GET, queryset=visits_for(request.user), request=request)
    listing = list_page(request, filterset)
    return render(
        request,
        "monitoring/visit_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "school_id": _chosen_school(filterset),
            "can_record": perm.can_record_visits(request.user),
        },
    )


def _chosen_school(filterset) -> int | None:
    """The school the list is filtered by (for the «record» and «dynamics» links)."""
    school = filterset.form.cleaned_data.get("school") if filterset.is_valid() else None
    return school.pk if school else None


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    visit = None
    if pk is not None:
        visit = get_object_or_404(visits_for(request.user), pk=pk)
    if not perm.can_record_visits(request.user):
        raise PermissionDenied
    if visit is not None:
        visit = get_object_or_404(visits_for(request.user, roles=perm.VISIT_RECORDERS), pk=pk)
    schools = schools_for(request.user, roles=perm.VISIT_RECORDERS)
    if visit is None:  # a new visit: archived schools are not offered (a correction keeps its school)
        schools = schools.active()
    initial: dict[str, Any] = {}
    if visit is not None:
        initial = {
            "school": visit.school,
            "date": visit.date,
            "visitors": visit.visitors,
            "purpose": visit.purpose,
            "outcome": visit.outcome,
        }
    elif request.GET.get("school", "").isdigit():
        initial["school"] = request.GET["school"]
    form = VisitForm(request.POST or None, initial=initial, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visit_save(
                user=request.user,
                school=data["school"],
                date=data["date"],
                visitors=data["visitors"],
                purpose=data["purpose"],
                outcome=data["outcome"],
                visit=visit,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Посещение {visit.school.name} {date_text(visit.date)} сохранено.")
            return redirect("monitoring:visit-list")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/visit_form.html", {"form": form, "visit": visit}, status=status)


@login_required
@require_POST
def visit_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(visits_for(request.user), pk=pk)
    if not perm.can_record_visits(request.user):
        raise PermissionDenied
    visit = get_object_or_404(visits_for(request.user, roles=perm.VISIT_RECORDERS), pk=pk)
    label = f"{visit.school.name} {date_text(visit.date)}"
    visit_delete(user=request.user, visit=visit)
    messages.success(request, f"Посещение {label} удалено.")
    return redirect("monitoring:visit-list")


# --- results ------------------------------------------------------------------------------------


@login_required
@require_GET
def result_list(request: HttpRequest) -> HttpResponse:
    filterset = ResultFilterSet(request.GET, queryset=results_for(request.user), request=request)
    listing = list_page(request, filterset)
    return render(
        request,
        "monitoring/result_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "school_id": _chosen_school(filterset),
            "can_enter": perm.can_enter_results(request.user),
            "municipalities": municipalities_for(request.user).active().order_by("name"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    result = None
    if pk is not None:
        result = get_object_or_404(results_for(request.user), pk=pk)
    if not perm.can_enter_results(request.user):
        raise PermissionDenied
    if result is not None:
        result = get_object_or_404(results_for(request.user, roles=perm.RESULT_ENTERERS), pk=pk)
    schools = schools_for(request.user, roles=perm.RESULT_ENTERERS)
    if result is None:  # a new result: archived schools are not offered (a correction keeps its school)
        schools = schools.active()
    initial: dict[str, Any] = {}
    if result is not None:
        initial = {
            "school": result.school,
            "year": result.year,
            "procedure": result.procedure,
            "subject": result.subject,
            "average": result.average,
        }
    elif request.GET.get("school", "").isdigit():
        initial["school"] = request.GET["school"]
    form = ResultForm(request.POST or None, initial=initial, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = result_save(
                user=request.user,
                school=data["school"],
                year=data["year"],
                procedure=data["procedure"],
                subject=data["subject"],
                average=data["average"],
                result=result,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Результат сохранён: {result.school.name}, {result.get_procedure_display()} {result.year}, {result.subject}.",
            )
            return redirect(f"{reverse('monitoring:result-list')}?school={result.school_id}")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/result_form.html", {"form": form, "result": result}, status=status)


@login_required
@require_POST
def result_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(results_for(request.user), pk=pk)
    if not perm.can_enter_results(request.user):
        raise PermissionDenied
    result = get_object_or_404(results_for(request.user, roles=perm.RESULT_ENTERERS), pk=pk)
    school_id = result.school_id
    result_delete(user=request.user, result=result)
    messages.success(request, "Результат удалён.")
    return redirect(f"{reverse('monitoring:result-list')}?school={school_id}")


# --- dynamics -----------------------------------------------------------------------------------


@login_required
@require_GET
def dynamics_school(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = school_or_404(request.user, school_pk)
    table = school_dynamics(school)
    return render(
        request,
        "monitoring/dynamics.html",
        {
            "school": school,
            "title": f"Динамика результатов: {school.name}",
            "table": table,
            "charts": [p["chart"] for p in table["procedures"]],
            "can_enter": perm.can_enter_results(request.user),
        },
    )


@login_required
@require_GET
def dynamics_municipality(request: HttpRequest, municipality_pk: int) -> HttpResponse:
    if not has_role(request.user, Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN):
        raise PermissionDenied
    municipality = get_object_or_404(municipalities_for(request.user).select_related("region"), pk=municipality_pk)
    data = municipality_dynamics(request.user, municipality)
    return render(
        request,
        "monitoring/dynamics.html",
        {
            "municipality": municipality,
            "title": f"Динамика результатов: {municipality.name}",
            "table": data["mean"],
            "charts": [p["chart"] for p in data["mean"]["procedures"]],
            "per_school": data["schools"],
            "can_enter": perm.can_enter_results(request.user),
        },
    )
