"""The school directory and the registry lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.calendar import academic_year_label, academic_year_of
from core.lists import ListPage, filtered_queryset, paginate
from core.scope import schools_for

from ..filters import RegistryFilterSet, SchoolFilterSet
from ..models import RegistryEntry
from ..permissions import REGISTRY_VIEW_ROLES, require_registry_viewer
from ..selectors.directory import registry_rows, registry_totals, registry_year_with_data, registry_years, school_rows


@login_required
@require_GET
def school_list(request: HttpRequest) -> HttpResponse:
    """The user's schools (the archived ones left out) with filters, one page at a time."""
    schools = schools_for(request.user).active()
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
