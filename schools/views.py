"""Pages of the schools app: the directory, the registry, the school card and its edit forms.

Views are thin: every object comes through the user's scope (`schools_for`, so anything else is a
404), editing rights are checked by `permissions` (403), writes go through `services`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.calendar import academic_year_label, academic_year_of, date_text
from core.forms import apply_service_errors
from core.lists import ListPage, filtered_queryset, paginate
from core.models import User

from . import services
from .filters import RegistryFilterSet, SchoolFilterSet
from .forms import (
    CauseForm,
    CuratorAssignForm,
    CuratorEndForm,
    ExcludeForm,
    PartnerAssignForm,
    PartnerEndForm,
    RegistryEntryForm,
    RiskProfileForm,
)
from .models import (
    CuratorAssignment,
    LowResultCause,
    PartnerAssignment,
    RegistryEntry,
    RiskFactor,
    RiskProfileEntry,
    School,
)
from .permissions import REGISTRY_VIEW_ROLES, can_edit_school, require_registry_viewer, require_school_editor
from .selectors import schools_for
from .selectors.directory import (
    LEVEL_CSS,
    curator_candidates,
    registry_rows,
    registry_totals,
    registry_year_with_data,
    registry_years,
    risk_factors_for_year,
    risk_profile_rows,
    risk_year_choices,
    risk_years,
    school_card,
    school_rows,
)
from .selectors.history import school_history

HISTORY_LIMIT = 100
CARD_SECTION_APPS = ("roadmaps", "monitoring", "reports")


# --- Lookups through the user's scope -------------------------------------------------------


def _school(user: User, pk: int) -> School:
    return get_object_or_404(schools_for(user).select_related("municipality__region"), pk=pk)


def _editable_school(user: User, pk: int) -> School:
    school = _school(user, pk)
    require_school_editor(user, school)
    return school


def _scoped(model, user: User, pk: int):
    """An object hanging off a school the user sees (404 otherwise), with the school loaded."""
    queryset = model.objects.filter(school__in=schools_for(user).values("pk")).select_related(
        "school__municipality__region"
    )
    obj = get_object_or_404(queryset, pk=pk)
    require_school_editor(user, obj.school)
    return obj


def _card_url(school: School, anchor: str = "") -> str:
    url = reverse("schools:school-detail", args=[school.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest, school: School, form: Form, *, title: str, anchor: str, **extra: Any
) -> HttpResponse:
    template = extra.pop("template", "schools/form_page.html")
    context = {"school": school, "form": form, "title": title, "cancel_url": _card_url(school, anchor), **extra}
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


def _card_sections(user: User, school: School) -> list[dict]:
    """Sections other apps add to the card through `<app>.school_card.sections(user, school)`."""
    sections: list[dict] = []
    for app in CARD_SECTION_APPS:
        module_name = f"{app}.school_card"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        sections.extend(module.sections(user, school))
    sections.sort(key=lambda s: s.get("order", 100))
    return sections


# --- Directory ------------------------------------------------------------------------------


@login_required
@require_GET
def school_list(request: HttpRequest) -> HttpResponse:
    """The user's schools with filters, one page at a time."""
    schools = schools_for(request.user)
    filterset = SchoolFilterSet(request.GET, queryset=schools, request=request, years=registry_years(schools))
    rows = school_rows(filtered_queryset(request, filterset), filterset.academic_year)
    listing = ListPage(filter=filterset, page=paginate(request, rows))
    return render(
        request,
        "schools/school_list.html",
        {"listing": listing, "form": filterset.form, "page": listing.page, "academic_year": filterset.academic_year},
    )


@login_required
@require_GET
def registry_list(request: HttpRequest) -> HttpResponse:
    """The registry of one academic year: category, basis, inclusion and exclusion of each school."""
    user = request.user
    require_registry_viewer(user)
    schools = schools_for(user, roles=REGISTRY_VIEW_ROLES)
    entries = RegistryEntry.objects.filter(school__in=schools.values("pk"))
    years = registry_years(schools)
    current = academic_year_of(timezone.localdate())
    if current not in years:
        years = sorted({*years, current}, reverse=True)
    filterset = RegistryFilterSet(
        request.GET, queryset=entries, request=request, years=years, default_year=registry_year_with_data(entries)
    )
    rows = filtered_queryset(request, filterset)
    listing = ListPage(filter=filterset, page=paginate(request, registry_rows(rows)))
    return render(
        request,
        "schools/registry_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "totals": registry_totals(rows),
            "year_label": academic_year_label(filterset.academic_year),
        },
    )


# --- School card ----------------------------------------------------------------------------


@login_required
@require_GET
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one school: data, registry, risk profile, causes, curators, partners,
    sections of the other apps and the history of changes."""
    user = request.user
    school = _school(user, pk)
    catalogue = list(RiskFactor.objects.order_by("version", "order", "pk"))
    years_with_data = risk_years(school)
    try:
        year = int(request.GET.get("year", ""))
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = years_with_data[0] if years_with_data else timezone.localdate().year
    history = school_history(school, catalogue=catalogue, limit=HISTORY_LIMIT + 1)
    rows, other_rows = risk_profile_rows(school, year, catalogue)
    factors = risk_factors_for_year(year, catalogue)
    context = {
        "school": school,
        "can_edit": can_edit_school(user, school),
        "risk_year": year,
        "risk_years": risk_year_choices(years_with_data, catalogue, year),
        "risk_version": factors[0].version if factors else None,
        "risk_rows": rows,
        "risk_other_rows": other_rows,
        "risk_assessed": sum(1 for r in rows if r.level),
        "level_css": LEVEL_CSS,
        "history": history[:HISTORY_LIMIT],
        "history_truncated": len(history) > HISTORY_LIMIT,
        "history_limit": HISTORY_LIMIT,
        "sections": _card_sections(user, school),
        **school_card(user, school),
    }
    return render(request, "schools/school_detail.html", context)


# --- Registry entries -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def registry_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
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


# --- Curators -------------------------------------------------------------------------------


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


# --- Partner leader schools -----------------------------------------------------------------


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


# --- Risk profile ---------------------------------------------------------------------------


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


# --- Causes of low results ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cause_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = _editable_school(request.user, pk)
    form = CauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cause_create(
                user=request.user,
                school=school,
                year=form.cleaned_data["year"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Причина низких результатов добавлена."))
            return redirect(_card_url(school, "causes"))
    return _form_page(request, school, form, title=_("Новая причина низких результатов"), anchor="causes")


@login_required
@require_http_methods(["GET", "POST"])
def cause_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cause = _scoped(LowResultCause, request.user, pk)
    school = cause.school
    form = CauseForm(
        request.POST or None,
        initial={"year": cause.year, "description": cause.description},
        current_year=cause.year,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cause_update(
                user=request.user,
                cause=cause,
                year=form.cleaned_data["year"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Причина низких результатов сохранена."))
            return redirect(_card_url(school, "causes"))
    return _form_page(request, school, form, title=_("Причина низких результатов"), anchor="causes")


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
