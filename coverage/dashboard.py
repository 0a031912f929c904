"""Home-page panel of coverage (`panels(user) -> list[dict]`): the three coverage indicators of the
user's main scope, read from the stored snapshot."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.calendar import academic_year_label, academic_year_of
from core.models import Role, User
from core.numbers import format_count_percent
from core.registry import home_panels
from core.scope import municipalities_for, regions_for, roles_of
from monitoring.selectors import Scope
from schools.models import Municipality, Region, RegistryEntry

from .permissions import COVERAGE_VIEWERS
from .services import coverage_snapshot_ensure


@home_panels.register(order=35)
def panels(user: User) -> list[dict]:
    roles = roles_of(user)
    if not roles & set(COVERAGE_VIEWERS) or Role.ADMIN in roles:
        return []
    panel = coverage_panel(user)
    return [panel] if panel is not None else []


def _main_area(user: User, current: int) -> Region | Municipality | None:
    """The user's main scope (the first region, else the first municipality, archived ones left out, as
    on the coverage page) with `registry_year`: the latest academic year up to `current` with registry entries. One
    query; none for a user without a whole region or municipality."""

    def latest(**area) -> Subquery:
        return Subquery(
            RegistryEntry.objects.filter(academic_year__lte=current, **area)
            .order_by("-academic_year")
            .values("academic_year")[:1]
        )

    region = (
        regions_for(user)
        .active()
        .annotate(registry_year=latest(school__municipality__region=OuterRef("pk")))
        .order_by("name")
    ).first()
    if region is not None:
        return region
    return (
        municipalities_for(user)
        .active()
        .select_related("region")
        .annotate(registry_year=latest(school__municipality=OuterRef("pk")))
        .order_by("region__name", "name")
        .first()
    )


def coverage_panel(user: User) -> dict | None:
    """The three coverage indicators of the user's main scope for the academic year with registry
    data, read from the stored snapshot (recomputed only when the data changed)."""
    current = academic_year_of(timezone.localdate())
    area = _main_area(user, current)
    if area is None:
        return None
    scope = Scope("region" if isinstance(area, Region) else "municipality", area.code)
    name = area.name
    year = area.registry_year or current
    date_from, date_to = dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    snapshot = coverage_snapshot_ensure(
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        area=area,
        keys=("total", "indicators", "not_approved_reports"),
    )
    data = snapshot.data
    query = urlencode({"scope": str(scope), "date_from": date_from.isoformat(), "date_to": date_to.isoformat()})
    return {
        "template": "coverage/panel.html",
        "order": 30,
        "name": name,
        "year_label": academic_year_label(year),
        "total": data["total"],
        "indicators": [
            {"name": i["name"], "text": format_count_percent(i["count"], data["total"]), "code": i["code"]}
            for i in data["indicators"]
        ],
        "not_approved": data["not_approved_reports"],
        "computed_at": snapshot.computed_at,
        "query": query,
    }
