"""Coverage of a scope (region or municipality) in a period, computed in the database.

The rules are DESIGN.md → Coverage rules. Every table comes from a fixed number of queries,
whatever the number of schools: the per-school facts are annotations (Exists / Subquery) of one
school query; the counted report lines are one grouped query over the in-scope schools' lines only,
by (school, activity type), from which both each school's number of done lines and the schools
behind every activity type are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from core.models import User
from monitoring.models import Indicator, IndicatorValue, MethodicalVisit
from roadmaps.models import Activity, ActivityReport, ActivityType, Direction, LineStatus, QuarterlyReport, ReportStatus
from schools.models import Category, Municipality, PartnerAssignment, Region, RegistryEntry, School
from schools.selectors import municipalities_for, regions_for, registry_active_q

SCOPE_KINDS = ("region", "municipality")

COVERAGE_INDICATORS = (
    ("methodical_work", "Количество ШНОР/ШФНСУ, охваченных методической работой"),
    ("network", "Количество ШНОР/ШФНСУ, вовлечённых в сетевое взаимодействие со школами-лидерами"),
    ("targeted_help", "Количество ШНОР/ШФНСУ, которым была оказана адресная методическая помощь"),
)


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
    """The scopes the user may choose on the coverage page: their regions, then municipalities."""
    result: list[tuple[Scope, str]] = []
    for region in regions_for(user).order_by("name"):
        result.append((Scope("region", region.code), region.name))
    for mun in municipalities_for(user).select_related("region").order_by("region__name", "name"):
        result.append((Scope("municipality", mun.code), mun.name))
    return result


def quarters_inside(date_from: dt.date, date_to: dt.date) -> list[tuple[int, int]]:
    """Calendar quarters (year, quarter) lying wholly inside [date_from, date_to]."""
    result = []
    for year in range(date_from.year, date_to.year + 1):
        for q in range(1, 5):
            start = dt.date(year, 3 * q - 2, 1)
            end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
            if start >= date_from and end <= date_to:
                result.append((year, q))
    return result


def quarters_q(quarters: list[tuple[int, int]], prefix: str = "") -> Q:
    """Q over QuarterlyReport (through `prefix`) matching the given quarters; matches nothing if none."""
    q = Q(**{f"{prefix}pk__in": []}) if not prefix else Q(**{f"{prefix}id__in": []})
    for year, quarter in quarters:
        q |= Q(**{f"{prefix}year": year, f"{prefix}quarter": quarter})
    return q


def _school_area_q(scope_obj: Region | Municipality, prefix: str = "") -> Q:
    if isinstance(scope_obj, Region):
        return Q(**{f"{prefix}municipality__region_id": scope_obj.pk})
    return Q(**{f"{prefix}municipality_id": scope_obj.pk})


def schools_in_scope(scope_obj: Region | Municipality, date_from: dt.date, date_to: dt.date) -> QuerySet[School]:
    """Schools of the area with a registry entry active on any day of the period (a leader school
    that is not in the registry is not in scope)."""
    active = RegistryEntry.objects.filter(school=OuterRef("pk")).filter(registry_active_q(date_from, date_to))
    return School.objects.filter(_school_area_q(scope_obj)).filter(Exists(active))


def done_lines_q(quarters: list[tuple[int, int]], prefix: str = "") -> Q:
    """ActivityReport lines (through `prefix`) that count: done, in an approved report of a quarter
    inside the period."""
    return Q(**{f"{prefix}status": LineStatus.DONE, f"{prefix}report__status": ReportStatus.APPROVED}) & quarters_q(
        quarters, prefix=f"{prefix}report__"
    )


def _visits_q(date_from: dt.date, date_to: dt.date) -> Q:
    return Q(date__gte=date_from, date__lte=date_to)


def _partner_q(date_from: dt.date, date_to: dt.date) -> Q:
    return Q(date_from__lte=date_to) & (Q(date_to__isnull=True) | Q(date_to__gte=date_from))


def _scope_dict(scope: Scope, obj: Region | Municipality) -> dict[str, Any]:
    region_name = obj.name if isinstance(obj, Region) else obj.region.name
    return {
        "kind": scope.kind,
        "code": obj.code,
        "name": obj.name,
        "region_name": region_name,
        "authority": obj.authority,
        "head_name": obj.head_name,
        "head_position": obj.head_position,
        "requisites": obj.requisites,
    }


def _area_of(scope: Scope, area: Region | Municipality | None) -> Region | Municipality:
    """The scope's object: `area` when the caller already holds it (a municipality with its region
    selected), else looked up."""
    if area is None:
        return scope_object(scope)
    expected = Region if scope.kind == "region" else Municipality
    if not isinstance(area, expected) or area.code != scope.code:
        raise ValueError(f"Объект территории не соответствует {scope}")
    return area


def coverage_compute(
    *, scope: Scope, date_from: dt.date, date_to: dt.date, area: Region | Municipality | None = None
) -> dict:
    """Every coverage table of the scope and period (no user check: for tasks and commands).

    Returns a JSON-serialisable dict in the shape agreed with the references (see
    monitoring/selectors/__init__.py). Six queries (five when the caller passes the area), whatever the number of schools (fewer when
    the scope has no school: a filter on an empty id list is answered without asking the database).
    """
    if date_to < date_from:
        raise ValueError("Дата окончания периода раньше даты начала.")
    obj = _area_of(scope, area)  # 1, none when the caller passes the area
    quarters = quarters_inside(date_from, date_to)
    in_scope = schools_in_scope(obj, date_from, date_to)

    active_entries = (
        RegistryEntry.objects.filter(school=OuterRef("pk"))
        .filter(registry_active_q(date_from, date_to))
        .order_by("-academic_year", "-included_on")
    )
    schools = list(  # 2
        in_scope.select_related("municipality")
        .annotate(
            category=Subquery(active_entries.values("category")[:1]),
            has_visit=Exists(
                MethodicalVisit.objects.filter(school=OuterRef("pk")).filter(_visits_q(date_from, date_to))
            ),
            has_partner=Exists(
                PartnerAssignment.objects.filter(school=OuterRef("pk")).filter(_partner_q(date_from, date_to))
            ),
            # The school's reports of the period's quarters not approved yet (summed below).
            not_approved_n=_agg(
                QuarterlyReport.objects.filter(roadmap__school=OuterRef("pk"))
                .filter(quarters_q(quarters))
                .exclude(status=ReportStatus.APPROVED),
                "pk",
                "COUNT",
            ),
        )
        .order_by("name", "pk")
    )
    category_labels = {value: str(label) for value, label in Category.choices}  # translated once, not per school
    # Every later query starts from the in-scope schools' ids as literals, not from a subquery: the
    # planner then knows how few schools a municipality has and walks the school → roadmap → report
    # → line indexes instead of scanning every report line of the database (a subquery is estimated
    # blindly, and a small scope got the same full scan as the largest region).
    in_scope_ids = [s.pk for s in schools]

    # The counted lines of the in-scope schools, grouped by (school, activity type): one query gives
    # both each school's number of done lines and, from its pairs, the schools behind every type.
    line_counts = (  # 3
        ActivityReport.objects.filter(report__roadmap__school__in=in_scope_ids)
        .filter(done_lines_q(quarters))
        .order_by()
        .values_list("report__roadmap__school_id", "activity__activity_type_id")
        .annotate(n=Count("pk"))
    )
    done_lines: dict[int, int] = {}
    type_schools: dict[int, set[int]] = {}
    for school_id, type_id, n in line_counts:
        done_lines[school_id] = done_lines.get(school_id, 0) + n
        if type_id is not None:
            type_schools.setdefault(type_id, set()).add(school_id)

    # Every direction with its active types (none: an empty list), in one query.
    catalogue = (  # 4
        Direction.objects.annotate(
            active=FilteredRelation("activity_types", condition=Q(activity_types__is_active=True))
        )
        .order_by("order", "pk", "active__order", "active__pk")
        .values_list("pk", "code", "name", "active__pk", "active__code", "active__name")
    )
    directions: list[dict[str, Any]] = []
    types: list[tuple[int, int, str, str]] = []  # (direction id, type id, code, name)
    for direction_id, d_code, d_name, type_id, t_code, t_name in catalogue:
        if not directions or directions[-1]["pk"] != direction_id:
            directions.append({"pk": direction_id, "code": d_code, "name": d_name})
        if type_id is not None:
            types.append((direction_id, type_id, t_code, t_name))

    # Indicator values lying inside the period: the latest period_to wins per (school, indicator).
    values = (  # 5
        IndicatorValue.objects.filter(school__in=in_scope_ids, period_from__gte=date_from, period_to__lte=date_to)
        .order_by("school_id", "indicator_id", "-period_to", "-period_from", "-pk")
        .values(
            "school_id",
            "value",
            "denominator",
            code=F("indicator__code"),
            kind=F("indicator__kind"),
            default=F("indicator__denominator_default"),
            teachers=F("school__teachers_count"),
            pupils=F("school__pupils_count"),
        )
    )
    visits = (  # 6
        MethodicalVisit.objects.filter(school__in=in_scope_ids)
        .filter(_visits_q(date_from, date_to))
        .order_by("date", "pk")
        .values_list("school_id", "date")
    )
    not_approved = sum(s.not_approved_n or 0 for s in schools)

    per_school: dict[str, dict[str, Any]] = {
        str(s.pk): {"visits": [], "done_lines": done_lines.get(s.pk, 0), "indicators": {}} for s in schools
    }
    for school_id, day in visits:
        per_school[str(school_id)]["visits"].append(day.isoformat())
    for row in values:
        slot = per_school[str(row["school_id"])]["indicators"]
        if row["code"] in slot:
            continue
        denominator = row["denominator"]
        if denominator is None and row["kind"] == "ratio":
            denominator = row["pupils"] if row["default"] == "pupils" else row["teachers"]
        slot[row["code"]] = {"value": _decimal_text(row["value"]), "denominator": denominator}

    flags = {
        "methodical_work": [s.pk for s in schools if s.has_visit or done_lines.get(s.pk, 0) > 0],
        "network": [s.pk for s in schools if s.has_partner],
        "targeted_help": [s.pk for s in schools if s.has_visit],
    }
    position = {s.pk: i for i, s in enumerate(schools)}
    by_direction: dict[int, list[dict[str, Any]]] = {}
    for direction_id, type_id, t_code, t_name in types:
        ids = sorted(type_schools.get(type_id, ()), key=position.__getitem__)
        by_direction.setdefault(direction_id, []).append(
            {"id": type_id, "code": t_code, "name": t_name, "count": len(ids), "school_ids": ids}
        )
    return {
        "scope": _scope_dict(scope, obj),
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "schools": [
            {
                "id": s.pk,
                "code": s.code,
                "name": s.name,
                "municipality": s.municipality.name,
                "category": category_labels.get(s.category, ""),
                "director_name": s.director_name,
                "teachers_count": s.teachers_count,
            }
            for s in schools
        ],
        "total": len(schools),
        "not_approved_reports": not_approved,
        "indicators": [
            {"code": code, "name": name, "count": len(flags[code]), "school_ids": flags[code]}
            for code, name in COVERAGE_INDICATORS
        ],
        "directions": [
            {"code": d["code"], "name": d["name"], "types": by_direction.get(d["pk"], [])} for d in directions
        ],
        "per_school": per_school,
    }


def _decimal_text(value) -> str:
    """A Decimal as a plain string without trailing zeros: Decimal("11.00") → "11", "3.50" → "3.5"."""
    if value == value.to_integral():
        return str(value.quantize(1))
    return format(value.normalize(), "f")


# --- freshness -------------------------------------------------------------------------------


def _agg(qs: QuerySet, field: str, function: str) -> Subquery:
    """A scalar subquery `SELECT <function>(<field>) FROM … WHERE …` (no GROUP BY)."""
    return Subquery(
        qs.order_by().annotate(v=Func(F(field), function=function, output_field=IntegerField())).values("v")[:1],
        output_field=IntegerField(),
    )


def coverage_fingerprint(*, scope: Scope, area: Region | Municipality | None = None) -> str:
    """A cheap version stamp of everything the scope's coverage depends on, in one query.

    Every change made through the ORM leaves a history row (django-simple-history), so the
    largest history id of each table, restricted to the scope's schools, changes whenever the
    data does; live row counts catch rows written in bulk without history.
    """
    obj = _area_of(scope, area)
    model = Region if isinstance(obj, Region) else Municipality
    # The statement depends only on the area: compiled once per area, not on every home page.
    sql, params = _fingerprint_sql(connection.vendor, model, obj.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        values = cursor.fetchone()
    if values is None:
        raise Http404(f"Территория {scope} не найдена")
    row = dict(zip(names, values, strict=True))
    return ";".join(f"{k}={row[k] or 0}" for k in sorted(row))


@lru_cache(maxsize=256)
def _fingerprint_sql(vendor: str, model: type[Region] | type[Municipality], pk: int) -> tuple[str, tuple]:
    """The fingerprint statement of one area (`vendor` keys the cache by database flavour)."""
    obj = model(pk=pk)
    area = _school_area_q(obj, prefix="school__")
    hist = {
        "school": School.history.model.objects.filter(_school_area_q(obj)),
        "registry": RegistryEntry.history.model.objects.filter(area),
        "partner": PartnerAssignment.history.model.objects.filter(area),
        "visit": MethodicalVisit.history.model.objects.filter(area),
        "value": IndicatorValue.history.model.objects.filter(area),
        "report": QuarterlyReport.history.model.objects.filter(_school_area_q(obj, prefix="roadmap__school__")),
        "line": ActivityReport.history.model.objects.filter(_school_area_q(obj, prefix="report__roadmap__school__")),
        "activity": Activity.history.model.objects.filter(_school_area_q(obj, prefix="roadmap__school__")),
        "area": (
            Region.history.model.objects.filter(id=obj.pk)
            if isinstance(obj, Region)
            else Municipality.history.model.objects.filter(id=obj.pk)
        ),
    }
    live = {
        "registry_n": RegistryEntry.objects.filter(area),
        "partner_n": PartnerAssignment.objects.filter(area),
        "visit_n": MethodicalVisit.objects.filter(area),
        "value_n": IndicatorValue.objects.filter(area),
        # The largest table: counted against the area's report ids (a semi-join), not joined through
        # report → roadmap → school → municipality row by row, which took twice as long for a region.
        "line_n": ActivityReport.objects.filter(
            report__in=QuarterlyReport.objects.filter(_school_area_q(obj, prefix="roadmap__school__")).values("pk")
        ),
        "report_n": QuarterlyReport.objects.filter(_school_area_q(obj, prefix="roadmap__school__")),
        "types_n": ActivityType.objects.filter(is_active=True),
        "indicators_n": Indicator.objects.all(),
    }
    annotations: dict[str, Any] = {k: _agg(qs, "history_id", "MAX") for k, qs in hist.items()}
    annotations.update({k: _agg(qs, "pk", "COUNT") for k, qs in live.items()})
    annotations["types_max"] = _agg(ActivityType.objects.all(), "pk", "MAX")
    # Reports move on by a conditional UPDATE of their version (optimistic locking), which leaves no
    # history row: the sum of versions moves with every such save.
    annotations["report_v"] = _agg(
        QuarterlyReport.objects.filter(_school_area_q(obj, prefix="roadmap__school__")), "version", "SUM"
    )
    qs = model.objects.filter(pk=pk).annotate(**annotations).values(*annotations)
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def not_approved_reports_list(
    scope_obj: Region | Municipality, date_from: dt.date, date_to: dt.date
) -> QuerySet[QuarterlyReport]:
    """Reports of in-scope schools for quarters inside the period that are not approved yet."""
    in_scope_ids = schools_in_scope(scope_obj, date_from, date_to).values("pk")
    return (
        QuarterlyReport.objects.filter(roadmap__school__in=in_scope_ids)
        .filter(quarters_q(quarters_inside(date_from, date_to)))
        .exclude(status=ReportStatus.APPROVED)
        .select_related("roadmap__school", "roadmap__school__municipality")
        .order_by("roadmap__school__name", "year", "quarter")
    )
