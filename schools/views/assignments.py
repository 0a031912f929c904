"""A school's curators and partner leader schools: assign and end."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.calendar import date_text
from core.forms import apply_service_errors

from .. import services
from ..forms import CuratorAssignForm, CuratorEndForm, PartnerAssignForm, PartnerEndForm
from ..models import CuratorAssignment, PartnerAssignment
from ..selectors.directory import curator_candidates
from .common import _card_url, _editable_school, _form_page, _scoped


@login_required
@require_http_methods(["GET", "POST"])
def curator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    if request.method == "POST":
        form = CuratorAssignForm(request.POST, curators=curator_candidates(school))
        if form.is_valid():
            try:
                assignment = services.curator_assign(
                    user=request.user,
                    school=school,
                    curator=form.cleaned_data["curator"],
                    full_name=form.cleaned_data["full_name"],
                    assigned_on=form.cleaned_data["assigned_on"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s назначен(а) куратором ОО.") % {"name": assignment.full_name})
                return redirect(_card_url(school, "curators"))
    else:
        form = CuratorAssignForm(curators=curator_candidates(school))
    return _form_page(request, school, form, title=_("Назначение куратора"), anchor="curators")


@login_required
@require_http_methods(["GET", "POST"])
def curator_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _scoped(CuratorAssignment, request.user, pk)
    school = assignment.school
    if request.method == "POST":
        form = CuratorEndForm(request.POST)
        if form.is_valid():
            try:
                services.curator_unassign(
                    user=request.user, assignment=assignment, unassigned_on=form.cleaned_data["unassigned_on"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s снят(а) с кураторства ОО.") % {"name": assignment.full_name})
                return redirect(_card_url(school, "curators"))
    else:
        form = CuratorEndForm()
    return _form_page(
        request,
        school,
        form,
        title=_("Снятие куратора"),
        anchor="curators",
        lead=_("Куратор: %(name)s, назначен(а) %(date)s.")
        % {"name": assignment.full_name, "date": f"{date_text(assignment.assigned_on)}"},
        submit_label=_("Снять с кураторства"),
        submit_css="btn-danger",
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_assign(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    leaders = services.leader_candidates(school)
    if request.method == "POST":
        form = PartnerAssignForm(request.POST, leaders=leaders)
        if form.is_valid():
            try:
                assignment = services.partner_assign(
                    user=request.user,
                    school=school,
                    leader=form.cleaned_data["leader"],
                    date_from=form.cleaned_data["date_from"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Школа-наставник «%(name)s» назначена.") % {"name": assignment.leader.name})
                return redirect(_card_url(school, "partners"))
    else:
        form = PartnerAssignForm(leaders=leaders)
    return _form_page(
        request,
        school,
        form,
        title=_("Назначение школы-наставника"),
        anchor="partners",
        lead=_("Школы-лидеры региона «%(region)s».") % {"region": school.municipality.region.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _scoped(PartnerAssignment, request.user, pk)
    school = assignment.school
    if request.method == "POST":
        form = PartnerEndForm(request.POST)
        if form.is_valid():
            try:
                services.partner_end(user=request.user, assignment=assignment, date_to=form.cleaned_data["date_to"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Сетевое взаимодействие завершено."))
                return redirect(_card_url(school, "partners"))
    else:
        form = PartnerEndForm()
    return _form_page(
        request,
        school,
        form,
        title=_("Завершение сетевого взаимодействия"),
        anchor="partners",
        lead=_("Школа-наставник: %(name)s, с %(date)s.")
        % {"name": assignment.leader.name, "date": f"{date_text(assignment.date_from)}"},
        submit_label=_("Завершить"),
        submit_css="btn-danger",
    )
