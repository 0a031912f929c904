"""Territories: a region or a municipality named `kind:code` (a campaign's area, a coverage scope),
and the registry schools of one in a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.models import User
from core.scope import municipalities_for, regions_for
from schools.models import Municipality, Region, RegistryEntry, School
from schools.selectors import registry_active_q

SCOPE_KINDS = ("region", "municipality")


@dataclass(frozen=True)
class Scope:
    kind: str  # "region" | "municipality"
    code: str  # Region.code / Municipality.code

    @classmethod
    def parse(cls, text: str) -> Scope:
        """«region:BRY» / «municipality:BEL-BR»."""
        kind, sep, code = (text or "").strip().partition(":")
        kind, code = kind.strip().lower(), code.strip()
        if not sep or kind not in SCOPE_KINDS or not code:
            raise ValueError(f"Территория «{text}» указана неверно: ожидается «region:КОД» или «municipality:КОД».")
        return cls(kind=kind, code=code)

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


def scope_object(scope: Scope) -> Region | Municipality:
    """The region or municipality of the scope, without any user check; Http404 when unknown."""
    if scope.kind == "region":
        obj = Region.objects.filter(code=scope.code).first()
    else:
        obj = Municipality.objects.select_related("region").filter(code=scope.code).first()
    if obj is None:
        raise Http404(f"Территория {scope} не найдена")
    return obj


def scope_for_user(user: User, scope: Scope) -> Region | Municipality:
    """The scope's object if the user sees that whole scope, else Http404."""
    if scope.kind == "region":
        qs = regions_for(user)
    else:
        qs = municipalities_for(user).select_related("region")
    obj = qs.filter(code=scope.code).first()
    if obj is None:
        raise Http404(f"Территория {scope} недоступна")
    return obj


def scopes_for_user(user: User) -> list[tuple[Scope, str]]:
    """The scopes the user may choose on the coverage page: their regions, then municipalities; the
    archived ones are not offered (docs/architecture.md, «Archive, never delete»)."""
    result: list[tuple[Scope, str]] = []
    for region in regions_for(user).active().order_by("name"):
        result.append((Scope("region", region.code), region.name))
    for mun in municipalities_for(user).active().select_related("region").order_by("region__name", "name"):
        result.append((Scope("municipality", mun.code), mun.name))
    return result


def area_of(scope: Scope, area: Region | Municipality | None) -> Region | Municipality:
    """The scope's object: `area` when the caller already holds it (a municipality with its region
    selected), else looked up."""
    if area is None:
        return scope_object(scope)
    expected = Region if scope.kind == "region" else Municipality
    if not isinstance(area, expected) or area.code != scope.code:
        raise ValueError(f"Объект территории не соответствует {scope}")
    return area


def school_area_q(scope_obj: Region | Municipality, prefix: str = "") -> Q:
    if isinstance(scope_obj, Region):
        return Q(**{f"{prefix}municipality__region_id": scope_obj.pk})
    return Q(**{f"{prefix}municipality_id": scope_obj.pk})


def schools_in_scope(scope_obj: Region | Municipality, date_from: dt.date, date_to: dt.date) -> QuerySet[School]:
    """Schools of the area with a registry entry active on any day of the period (a leader school
    that is not in the registry is not in scope)."""
    active = RegistryEntry.objects.filter(school=OuterRef("pk")).filter(registry_active_q(date_from, date_to))
    return School.objects.filter(school_area_q(scope_obj)).filter(Exists(active))
