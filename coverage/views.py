"""The coverage page of a scope and period, its drill-downs, recompute button and xlsx."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.calendar import academic_year_bounds, academic_year_of, date_text
from core.exporters import export_response
from monitoring.selectors import Scope, scope_for_user, scopes_for_user
from schools.models import Municipality, Region, RegistryEntry

from . import permissions as perm
from .exports import CoverageExporter
from .forms import CoverageFilterForm
from .selectors import not_approved_reports_list
from .selectors.tables import coverage_context, drill_context, period_choices
from .services import coverage_refresh_request, coverage_snapshot_ensure


def _coverage_input(request: HttpRequest) -> tuple[CoverageFilterForm, Scope, Region | Municipality, dt.date, dt.date]:
    """Parse the scope and period; Http404 when the scope is not the user's, 403 for other roles."""
    if not perm.can_view_coverage(request.user):
        raise PermissionDenied
    scopes = scopes_for_user(request.user)
    if not scopes:
        raise PermissionDenied
    params = request.GET.copy() if request.method == "GET" else request.POST.copy()
    params.setdefault("scope", str(scopes[0][0]))
    form = CoverageFilterForm(params, scopes=scopes)
    try:
        scope = Scope.parse(params["scope"])
    except ValueError:
        raise Http404("Неизвестная территория")
    area = scope_for_user(request.user, scope)
    if not params.get("date_from") and not params.get("date_to"):
        year = _default_academic_year(area)
        if year is not None:
            params["date_from"], params["date_to"] = (date_text(day) for day in academic_year_bounds(year))
            form = CoverageFilterForm(params, scopes=scopes)
            form.fallback_year = year  # the coverage page says why it opened on that year
    if not form.is_valid():
        return form, scope, area, None, None  # type: ignore[return-value]
    # Empty fields mean the current academic year: show the period actually used, not blank inputs.
    for name in ("date_from", "date_to"):
        params[name] = date_text(form.cleaned_data[name])
    return form, scope, area, form.cleaned_data["date_from"], form.cleaned_data["date_to"]


def _default_academic_year(area: Region | Municipality) -> int | None:
    """The academic year to open on when no period is given: None (the current one) unless the area's
    registry ends before it, then the registry's latest year, so the page does not open on an empty year."""
    latest = RegistryEntry.objects.filter(
        **({"school__municipality__region": area} if isinstance(area, Region) else {"school__municipality": area})
    ).aggregate(latest=Max("academic_year"))["latest"]
    return latest if latest is not None and latest < academic_year_of(timezone.localdate()) else None


def _query(scope: Scope, date_from: dt.date, date_to: dt.date, **extra: str) -> str:
    return urlencode({"scope": str(scope), "date_from": date_from.isoformat(), "date_to": date_to.isoformat(), **extra})


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    form, scope, area, date_from, date_to = _coverage_input(request)
    context: dict[str, Any] = {"form": form, "scope": scope, "area": area}
    if date_from is None:
        return render(request, "coverage/coverage.html", context, status=400)
    year = getattr(form, "fallback_year", None)
    if year is not None:
        messages.info(
            request,
            f"В текущем учебном году в реестре территории нет ОО: показан последний учебный год "
            f"с ОО в реестре — {year}/{str(year + 1)[-2:]}.",
        )
    snapshot = coverage_snapshot_ensure(scope=scope, date_from=date_from, date_to=date_to)
    query = _query(scope, date_from, date_to)
    context.update(coverage_context(snapshot.data))
    context.update(
        {
            "snapshot": snapshot,
            "query": query,
            "date_from": date_from,
            "date_to": date_to,
            "periods": period_choices(date_from, scope),
            "can_refresh": perm.can_refresh_coverage(request.user),
        }
    )
    return render(request, "coverage/coverage.html", context)


@login_required
@require_POST
def coverage_refresh(request: HttpRequest) -> HttpResponse:
    form, scope, area, date_from, date_to = _coverage_input(request)
    if not perm.can_refresh_coverage(request.user):
        raise PermissionDenied
    if date_from is None:
        messages.error(request, "Период указан неверно: " + "; ".join(m for e in form.errors.values() for m in e))
        return redirect("coverage:page")
    if coverage_refresh_request(scope=scope, date_from=date_from, date_to=date_to):
        messages.info(
            request, "Пересчёт запущен. Обновите страницу через несколько секунд, если время данных не изменилось."
        )
    else:
        messages.warning(request, "Очередь фоновых задач недоступна: данные пересчитаны сразу, на этой странице.")
    return redirect(f"{reverse('coverage:page')}?{_query(scope, date_from, date_to)}")


@login_required
@require_GET
def coverage_drill(request: HttpRequest) -> HttpResponse:
    """The schools behind one figure of the coverage page and the schools missing from it."""
    form, scope, area, date_from, date_to = _coverage_input(request)
    if date_from is None:
        raise Http404("Период указан неверно")
    snapshot = coverage_snapshot_ensure(scope=scope, date_from=date_from, date_to=date_to)
    figure = request.GET.get("figure", "")
    if figure == "not_approved":
        context: dict[str, Any] | None = {
            "figure": figure,
            "figure_kind": "not_approved",
            "title": "Квартальные отчёты, ещё не утверждённые (в расчёт не входят)",
            "reports": list(not_approved_reports_list(area, date_from, date_to)),
        }
    else:
        context = drill_context(snapshot.data, figure)
    if context is None:
        raise Http404("Неизвестный показатель")
    context.update(
        {
            "scope": scope,
            "area": area,
            "snapshot": snapshot,
            "date_from": date_from,
            "date_to": date_to,
            "back_query": _query(scope, date_from, date_to),
        }
    )
    return render(request, "coverage/coverage_drill.html", context)


@login_required
@require_GET
def coverage_export(request: HttpRequest) -> HttpResponse:
    form, scope, area, date_from, date_to = _coverage_input(request)
    if date_from is None:
        raise Http404("Период указан неверно")
    snapshot = coverage_snapshot_ensure(scope=scope, date_from=date_from, date_to=date_to)
    return export_response(CoverageExporter(data=snapshot.data, computed_at=snapshot.computed_at).render({}))
