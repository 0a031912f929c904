"""A school's risk profile and the causes of its low results."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import apply_service_errors

from .. import services
from ..forms import CauseForm, RiskProfileForm
from ..models import LowResultCause, RiskProfileEntry, School
from ..selectors.directory import risk_factors_for_year
from .common import _card_url, _editable_school, _form_page, _scoped


@login_required
@require_http_methods(["GET", "POST"])
def risk_profile_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    if not 2000 <= year <= 2100:
        raise Http404
    factors = risk_factors_for_year(year)
    if not factors:
        raise Http404
    initial = dict(
        RiskProfileEntry.objects.filter(school=school, year=year, factor__in=factors).values_list("factor_id", "level")
    )
    form = RiskProfileForm(request.POST or None, factors=factors, initial_levels=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.risk_profile_save(user=request.user, school=school, year=year, levels=form.levels())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Рисковый профиль за %(year)s год сохранён (изменено факторов: %(changed)s).")
                % {"year": year, "changed": changed},
            )
            return redirect(f"{reverse('schools:school-detail', args=[school.pk])}?year={year}#risk")
    return _form_page(
        request,
        school,
        form,
        title=_("Рисковый профиль за %(year)s год") % {"year": year},
        anchor="risk",
        template="schools/risk_profile_form.html",
        lead=_("Факторы риска по каталогу версии %(version)s года. Уровень: высокий, средний или низкий.")
        % {"version": factors[0].version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cause_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    return _cause_page(
        request,
        school,
        CauseForm(request.POST or None),
        save=partial(services.cause_create, user=request.user, school=school),
        done=_("Причина низких результатов добавлена."),
        title=_("Новая причина низких результатов"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cause_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cause = _scoped(LowResultCause, request.user, pk)
    return _cause_page(
        request,
        cause.school,
        CauseForm(
            request.POST or None,
            initial={"year": cause.year, "description": cause.description},
            current_year=cause.year,
        ),
        save=partial(services.cause_update, user=request.user, cause=cause),
        done=_("Причина низких результатов сохранена."),
        title=_("Причина низких результатов"),
    )


def _cause_page(
    request: HttpRequest, school: School, form: CauseForm, *, save: Callable[..., Any], done: str, title: str
) -> HttpResponse:
    """A cause's form, new or corrected: `save(year=..., description=...)` is the service."""
    if request.method == "POST" and form.is_valid():
        try:
            save(year=form.cleaned_data["year"], description=form.cleaned_data["description"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_card_url(school, "causes"))
    return _form_page(request, school, form, title=title, anchor="causes")


@login_required
@require_http_methods(["GET", "POST"])
def cause_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cause = _scoped(LowResultCause, request.user, pk)
    school = cause.school
    if request.method == "POST":
        services.cause_delete(user=request.user, cause=cause)
        messages.success(request, _("Причина низких результатов удалена."))
        return redirect(_card_url(school, "causes"))
    return render(
        request,
        "schools/confirm_delete.html",
        {
            "school": school,
            "title": _("Удаление причины низких результатов"),
            "object_text": _("%(year)s г.: %(text)s") % {"year": cause.year, "text": cause.description},
            "cancel_url": _card_url(school, "causes"),
        },
    )
