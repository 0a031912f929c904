"""Methodical visits, assessment results and their dynamics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import date_text
from core.forms import apply_service_errors
from core.lists import list_page
from core.models import Role, User
from core.scope import has_role, municipalities_for, school_or_404, schools_for

from .. import permissions as perm
from ..filters import ResultFilterSet, VisitFilterSet
from ..forms import ResultForm, VisitForm
from ..models import AssessmentResult, MethodicalVisit
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

# --- a visit or a result: the same record page -------------------------------------------------


@dataclass(frozen=True)
class _Record:
    """What differs between the visit and the result pages; `_record_edit` is the rest."""

    noun: str  # the service's keyword for the record being corrected, and the template's name for it
    records_for: Callable[..., QuerySet]  # the selector: records_for(user, roles=None)
    may: Callable[[User], bool]
    roles: tuple[str, ...]
    form: type[forms.Form]
    fields: tuple[str, ...]  # the form's fields besides «school», passed to the service by name
    save: Callable[..., Model]
    template: str
    saved: Callable[[HttpRequest, Any], HttpResponse]  # the message and the redirect after a save


def _recorded(request: HttpRequest, spec: _Record, pk: int | None) -> Any:
    """The record to correct (None for a new one): another scope's is a 404, a read-only role's a 403."""
    if pk is not None:
        get_object_or_404(spec.records_for(request.user), pk=pk)
    if not spec.may(request.user):
        raise PermissionDenied
    return None if pk is None else get_object_or_404(spec.records_for(request.user, roles=spec.roles), pk=pk)


def _record_edit(request: HttpRequest, spec: _Record, pk: int | None) -> HttpResponse:
    record = _recorded(request, spec, pk)
    schools = schools_for(request.user, roles=spec.roles)
    if record is None:  # a new record: archived schools are not offered (a correction keeps its school)
        schools = schools.active()
    names = ("school", *spec.fields)
    initial: dict[str, Any] = {}
    if record is not None:
        initial = {name: getattr(record, name) for name in names}
    elif request.GET.get("school", "").isdigit():
        initial["school"] = request.GET["school"]
    form = spec.form(request.POST or None, initial=initial, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            record = spec.save(
                user=request.user, **{name: form.cleaned_data[name] for name in names}, **{spec.noun: record}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return spec.saved(request, record)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, spec.template, {"form": form, spec.noun: record}, status=status)


def _visit_saved(request: HttpRequest, visit: MethodicalVisit) -> HttpResponse:
    messages.success(request, f"Посещение {visit.school.name} {date_text(visit.date)} сохранено.")
    return redirect("monitoring:visit-list")


def _result_saved(request: HttpRequest, result: AssessmentResult) -> HttpResponse:
    messages.success(
        request,
        f"Результат сохранён: {result.school.name}, {result.get_procedure_display()} {result.year}, {result.subject}.",
    )
    return redirect(f"{reverse('monitoring:result-list')}?school={result.school_id}")


VISITS = _Record(
    noun="visit",
    records_for=visits_for,
    may=perm.can_record_visits,
    roles=perm.VISIT_RECORDERS,
    form=VisitForm,
    fields=("date", "visitors", "purpose", "outcome"),
    save=visit_save,
    template="monitoring/visit_form.html",
    saved=_visit_saved,
)
RESULTS = _Record(
    noun="result",
    records_for=results_for,
    may=perm.can_enter_results,
    roles=perm.RESULT_ENTERERS,
    form=ResultForm,
    fields=("year", "procedure", "subject", "average"),
    save=result_save,
    template="monitoring/result_form.html",
    saved=_result_saved,
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
    return _record_edit(request, VISITS, pk)


@login_required
@require_POST
def visit_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _recorded(request, VISITS, pk)
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
    return _record_edit(request, RESULTS, pk)


@login_required
@require_POST
def result_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = _recorded(request, RESULTS, pk)
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
