"""A school's registry entries: include, edit, exclude."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.calendar import academic_year_of, date_text
from core.forms import apply_service_errors, message_service_errors

from .. import services
from ..forms import ExcludeForm, RegistryEntryForm
from ..models import RegistryEntry
from .common import _card_url, _editable_school, _form_page, _scoped


@login_required
@require_http_methods(["GET", "POST"])
def registry_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    try:
        services.require_active(school)
    except ValidationError as exc:
        message_service_errors(request, exc)
        return redirect(_card_url(school, "registry"))
    current = academic_year_of(timezone.localdate())
    if request.method == "POST":
        form = RegistryEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = services.registry_entry_save(user=request.user, school=school, data=form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Запись реестра за %(year)s учебный год добавлена.") % {"year": entry.academic_year_label},
                )
                return redirect(_card_url(school, "registry"))
    else:
        form = RegistryEntryForm(initial={"academic_year": current, "included_on": timezone.localdate()})
    return _form_page(request, school, form, title=_("Новая запись реестра"), anchor="registry")


@login_required
@require_http_methods(["GET", "POST"])
def registry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _scoped(RegistryEntry, request.user, pk)
    school = entry.school
    initial = {
        "academic_year": entry.academic_year,
        "category": entry.category,
        "basis": entry.basis,
        "included_on": entry.included_on,
        "excluded_on": entry.excluded_on,
        "exclusion_reason": entry.exclusion_reason,
    }
    if request.method == "POST":
        form = RegistryEntryForm(request.POST, current_year=entry.academic_year)
        if form.is_valid():
            try:
                services.registry_entry_save(user=request.user, school=school, data=form.cleaned_data, entry=entry)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Запись реестра за %(year)s учебный год сохранена.") % {"year": entry.academic_year_label},
                )
                return redirect(_card_url(school, "registry"))
    else:
        form = RegistryEntryForm(initial=initial, current_year=entry.academic_year)
    return _form_page(
        request,
        school,
        form,
        title=_("Запись реестра за %(year)s учебный год") % {"year": entry.academic_year_label},
        anchor="registry",
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    entry = services.open_registry_entry(school)
    if entry is None:
        messages.error(request, _("ОО не состоит в реестре: нет записи без даты исключения."))
        return redirect(_card_url(school, "registry"))
    if request.method == "POST":
        form = ExcludeForm(request.POST)
        if form.is_valid():
            try:
                services.school_exclude(
                    user=request.user,
                    school=school,
                    excluded_on=form.cleaned_data["excluded_on"],
                    reason=form.cleaned_data["exclusion_reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("ОО исключена из реестра %(year)s учебного года.") % {"year": entry.academic_year_label}
                )
                return redirect(_card_url(school, "registry"))
    else:
        form = ExcludeForm(initial={"excluded_on": timezone.localdate()})
    return _form_page(
        request,
        school,
        form,
        title=_("Исключение ОО из реестра"),
        anchor="registry",
        lead=_("Запись реестра %(year)s учебного года (%(category)s), включена %(date)s.")
        % {
            "year": entry.academic_year_label,
            "category": entry.get_category_display(),
            "date": f"{date_text(entry.included_on)}",
        },
        submit_label=_("Исключить из реестра"),
        submit_css="btn-danger",
    )
