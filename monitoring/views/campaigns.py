"""Indicator catalogue and monitoring campaigns: open a round, follow it, enter values."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_errors
from core.lists import list_page
from core.models import Role
from core.scope import covers_school, has_role, municipalities_for, regions_for, schools_for
from schools.models import Municipality, Region

from .. import permissions as perm
from ..filters import CampaignFilterSet, IndicatorFilterSet
from ..forms import CampaignForm, CampaignValuesForm
from ..selectors import (
    Scope,
    campaign_completeness,
    campaign_schools_for,
    campaign_values,
    campaigns_for,
    indicators_list,
    schools_in_scope,
)
from ..services import (
    campaign_create,
    campaign_values_save,
)

# --- indicators ---------------------------------------------------------------------------------


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue: code, name, kind, unit, who enters it (edited in the admin)."""
    filterset = IndicatorFilterSet(request.GET, queryset=indicators_list(), request=request)
    listing = list_page(request, filterset)
    return render(
        request, "monitoring/indicator_list.html", {"listing": listing, "form": filterset.form, "page": listing.page}
    )


# --- campaigns ----------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    filterset = CampaignFilterSet(request.GET, queryset=campaigns_for(request.user), request=request)
    listing = list_page(request, filterset)
    campaigns = list(listing.rows)
    completeness = campaign_completeness(request.user, campaigns)
    today = timezone.localdate()
    rows = []
    for c in campaigns:
        schools = completeness.get(c.pk, [])
        rows.append(
            {
                "campaign": c,
                "schools": len(schools),
                "complete": sum(1 for s in schools if s["complete"]),
                "open": c.deadline >= today,
                "single": schools[0] if len(schools) == 1 else None,
            }
        )
    return render(
        request,
        "monitoring/campaign_list.html",
        {
            "listing": listing,
            "form": filterset.form,
            "page": listing.page,
            "rows": rows,
            "can_manage": perm.can_manage_campaigns(request.user),
            "can_view": perm.can_view_campaigns(request.user),
            "is_director": has_role(request.user, Role.DIRECTOR),
        },
    )


def _managed_areas(user) -> list[tuple[Scope, Region | Municipality]]:
    """The territories a new campaign may cover: the user's, archived ones left out."""
    areas: list[tuple[Scope, Region | Municipality]] = []
    roles = perm.CAMPAIGN_MANAGERS
    for region in regions_for(user, roles=roles).active().order_by("name"):
        areas.append((Scope("region", region.code), region))
    municipalities = municipalities_for(user, roles=roles).active().select_related("region")
    for mun in municipalities.order_by("region__name", "name"):
        areas.append((Scope("municipality", mun.code), mun))
    return areas


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    if not perm.can_manage_campaigns(request.user):
        raise PermissionDenied
    areas = _managed_areas(request.user)
    schools = schools_for(request.user, roles=perm.CAMPAIGN_MANAGERS).active()  # a new round: no archived school
    form = CampaignForm(request.POST or None, areas=areas, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        in_scope = schools_in_scope(data["area_object"], data["period_from"], data["period_to"])
        chosen = list(data["schools"]) or list(in_scope.active().select_related("municipality"))
        try:
            campaign = campaign_create(
                user=request.user,
                name=data["name"],
                area=data["area_object"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                deadline=data["deadline"],
                indicators=list(data["indicators"]),
                schools=chosen,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Мониторинг «{campaign.name}» открыт: ОО — {len(chosen)}.")
            return redirect("monitoring:campaign-detail", pk=campaign.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "monitoring/campaign_form.html", {"form": form}, status=status)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    if not perm.can_view_campaigns(request.user):
        raise PermissionDenied
    rows = campaign_completeness(request.user, [campaign])[campaign.pk]
    return render(
        request,
        "monitoring/campaign_detail.html",
        {
            "campaign": campaign,
            "indicators": list(campaign.indicators.order_by("order", "code")),
            "rows": rows,
            "complete": sum(1 for r in rows if r["complete"]),
            "can_enter": has_role(request.user, Role.METHODIST, Role.COORDINATOR, Role.ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_entry(request: HttpRequest, pk: int, school_pk: int) -> HttpResponse:
    """One school's values for a campaign (director of the school, methodist, coordinator)."""
    campaign = get_object_or_404(campaigns_for(request.user), pk=pk)
    school = get_object_or_404(campaign_schools_for(request.user, campaign), pk=school_pk)
    if not has_role(request.user, *perm.VALUE_ENTERERS):
        raise PermissionDenied
    school = get_object_or_404(campaign_schools_for(request.user, campaign, roles=perm.VALUE_ENTERERS), pk=school_pk)
    manager = covers_school(request.user, school, roles=perm.CAMPAIGN_MANAGERS)
    closed = campaign.deadline < timezone.localdate() and not manager
    if request.method == "POST" and closed:
        raise PermissionDenied("Срок внесения истёк")
    indicators = list(campaign.indicators.order_by("order", "code"))
    form = CampaignValuesForm(
        request.POST or None,
        indicators=indicators,
        school=school,
        values=campaign_values(campaign, school),
        as_methodist=manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created, updated, deleted = campaign_values_save(
                user=request.user,
                campaign=campaign,
                school=school,
                inputs=form.cleaned_data["inputs"],
                as_methodist=manager,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Значения сохранены: добавлено {created}, изменено {updated}, удалено {deleted}."
            )
            if manager:
                return redirect("monitoring:campaign-detail", pk=campaign.pk)
            return redirect("portal:home")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "monitoring/campaign_entry.html",
        {"campaign": campaign, "school": school, "form": form, "closed": closed, "manager": manager},
        status=status,
    )
