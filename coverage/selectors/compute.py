"""Coverage of a scope (region or municipality) in a period, computed in the database.

The rules are docs/contracts.md → Coverage rules. Every table comes from a fixed number of queries,
whatever the number of schools: the per-school facts are annotations (Exists / Subquery) of one
school query; the counted report lines are one grouped query over the in-scope schools' lines only,
by (school, activity type), from which both each school's number of done lines and the schools
behind every activity type are read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.calendar import quarters_within
from core.sorting import natural_key
from monitoring.models import IndicatorValue, MethodicalVisit
from monitoring.selectors import Scope, area_of, schools_in_scope
from roadmaps.models import ActivityReport, Direction, LineStatus, QuarterlyReport, ReportStatus
from roadmaps.selectors import quarters_q, reported
from schools.models import Category, Municipality, PartnerAssignment, Region, RegistryEntry, School
from schools.selectors import registry_active_q

# Moves on whenever a rule of this module changes what is computed from the same data: a stored
# snapshot computed by the earlier rules then no longer matches the fingerprint (fingerprint.py).
# 2: indicator values overlapping the period count and keep their own period.
RULES_VERSION = 2

COVERAGE_INDICATORS = (
    ("methodical_work", "Количество ШНОР/ШФНСУ, охваченных методической работой"),
    ("network", "Количество ШНОР/ШФНСУ, вовлечённых в сетевое взаимодействие со школами-лидерами"),
    ("targeted_help", "Количество ШНОР/ШФНСУ, которым была оказана адресная методическая помощь"),
)


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


def scalar_aggregate(qs: QuerySet, field: str, function: str) -> Subquery:
    """A scalar subquery `SELECT <function>(<field>) FROM … WHERE …` (no GROUP BY)."""
    return Subquery(
        qs.order_by().annotate(v=Func(F(field), function=function, output_field=IntegerField())).values("v")[:1],
        output_field=IntegerField(),
    )


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
        "methodical_service": obj.methodical_service,
    }


def coverage_compute(
    *, scope: Scope, date_from: dt.date, date_to: dt.date, area: Region | Municipality | None = None
) -> dict:
    """Every coverage table of the scope and period (no user check: for tasks and commands).

    Returns a JSON-serialisable dict in the shape agreed with the references (see
    coverage/selectors/__init__.py). Six queries (five when the caller passes the area), whatever the
    number of schools (fewer when the scope has no school: a filter on an empty id list is answered
    without asking the database).
    """
    if date_to < date_from:
        raise ValueError("Дата окончания периода раньше даты начала.")
    obj = area_of(scope, area)  # 1, none when the caller passes the area
    quarters = quarters_within(date_from, date_to)
    schools = _schools_with_facts(obj, date_from, date_to, quarters)  # 2
    # Every later query starts from the in-scope schools' ids as literals, not from a subquery: the
    # planner then knows how few schools a municipality has and walks the school → roadmap → report
    # → line indexes instead of scanning every report line of the database (a subquery is estimated
    # blindly, and a small scope got the same full scan as the largest region).
    in_scope_ids = [s.pk for s in schools]
    done_lines, type_schools = _done_line_counts(in_scope_ids, quarters)  # 3
    return {
        "scope": _scope_dict(scope, obj),
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "schools": _school_rows(schools),
        "total": len(schools),
        "not_approved_reports": sum(s.not_approved_n or 0 for s in schools),
        "indicators": _indicator_rows(schools, done_lines),
        "directions": _direction_rows(schools, type_schools),  # 4
        "per_school": _per_school_facts(in_scope_ids, done_lines, date_from, date_to),  # 5, 6
    }


def _schools_with_facts(
    obj: Region | Municipality, date_from: dt.date, date_to: dt.date, quarters: list[tuple[int, int]]
) -> list[School]:
    """The in-scope schools in natural order (`core.sorting`), each with its category, visit, partner
    and unapproved-report facts."""
    active_entries = (
        RegistryEntry.objects.filter(school=OuterRef("pk"))
        .filter(registry_active_q(date_from, date_to))
        .order_by("-academic_year", "-included_on")
    )
    schools = list(
        schools_in_scope(obj, date_from, date_to)
        .select_related("municipality")
        .annotate(
            category=Subquery(active_entries.values("category")[:1]),
            has_visit=Exists(
                MethodicalVisit.objects.filter(school=OuterRef("pk")).filter(_visits_q(date_from, date_to))
            ),
            has_partner=Exists(
                PartnerAssignment.objects.filter(school=OuterRef("pk")).filter(_partner_q(date_from, date_to))
            ),
            # The school's reports of the period's quarters not approved yet (summed by the caller).
            not_approved_n=scalar_aggregate(
                QuarterlyReport.objects.filter(roadmap__school=OuterRef("pk"))
                .filter(quarters_q(quarters))
                .exclude(status=ReportStatus.APPROVED),
                "pk",
                "COUNT",
            ),
        )
        .order_by("pk")
    )
    return sorted(schools, key=lambda s: natural_key(s.name))


def _done_line_counts(
    in_scope_ids: list[int], quarters: list[tuple[int, int]]
) -> tuple[dict[int, int], dict[int, set[int]]]:
    """Each school's number of counted lines, and the schools behind every activity type.

    The counted lines of the in-scope schools, grouped by (school, activity type): one query gives
    both.
    """
    line_counts = (
        ActivityReport.objects.filter(report__roadmap__school__in=in_scope_ids)
        .filter(done_lines_q(quarters))
        .order_by()
        .annotate(type_id=reported("activity_type"))
        .values_list("report__roadmap__school_id", "type_id")
        .annotate(n=Count("pk"))
    )
    done_lines: dict[int, int] = {}
    type_schools: dict[int, set[int]] = {}
    for school_id, type_id, n in line_counts:
        done_lines[school_id] = done_lines.get(school_id, 0) + n
        if type_id is not None:
            type_schools.setdefault(type_id, set()).add(school_id)
    return done_lines, type_schools


def _school_rows(schools: list[School]) -> list[dict[str, Any]]:
    category_labels = {value: str(label) for value, label in Category.choices}  # translated once, not per school
    return [
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
    ]


def _indicator_rows(schools: list[School], done_lines: dict[int, int]) -> list[dict[str, Any]]:
    """The three coverage indicators with the schools behind each."""
    flags = {
        "methodical_work": [s.pk for s in schools if s.has_visit or done_lines.get(s.pk, 0) > 0],
        "network": [s.pk for s in schools if s.has_partner],
        "targeted_help": [s.pk for s in schools if s.has_visit],
    }
    return [
        {"code": code, "name": name, "count": len(flags[code]), "school_ids": flags[code]}
        for code, name in COVERAGE_INDICATORS
    ]


def _direction_rows(schools: list[School], type_schools: dict[int, set[int]]) -> list[dict[str, Any]]:
    """Every direction with its active activity types and the schools behind each type (one query)."""
    catalogue = (
        Direction.objects.annotate(
            active=FilteredRelation("activity_types", condition=Q(activity_types__is_active=True))
        )
        .order_by("order", "pk", "active__order", "active__pk")
        .values_list("pk", "code", "name", "active__pk", "active__code", "active__name")
    )
    position = {s.pk: i for i, s in enumerate(schools)}
    directions: list[dict[str, Any]] = []
    for direction_id, d_code, d_name, type_id, t_code, t_name in catalogue:
        if not directions or directions[-1]["pk"] != direction_id:
            directions.append({"pk": direction_id, "code": d_code, "name": d_name, "types": []})
        if type_id is not None:
            ids = sorted(type_schools.get(type_id, ()), key=position.__getitem__)
            directions[-1]["types"].append(
                {"id": type_id, "code": t_code, "name": t_name, "count": len(ids), "school_ids": ids}
            )
    return [{"code": d["code"], "name": d["name"], "types": d["types"]} for d in directions]


def _per_school_facts(
    in_scope_ids: list[int], done_lines: dict[int, int], date_from: dt.date, date_to: dt.date
) -> dict[str, dict[str, Any]]:
    """Each school's visit dates, counted lines and indicator values (two queries).

    A value counts when its period overlaps the reference period; per (school, indicator) a value
    lying wholly inside the period wins over one reaching beyond it, then the latest-ending, then the
    latest-starting (docs/contracts.md → Coverage rules). Each value keeps its own period.
    """
    inside = Q(period_from__gte=date_from, period_to__lte=date_to)
    values = (
        IndicatorValue.objects.filter(school__in=in_scope_ids, period_from__lte=date_to, period_to__gte=date_from)
        .annotate(reaches_out=Case(When(inside, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("school_id", "indicator_id", "reaches_out", "-period_to", "-period_from", "-pk")
        .values(
            "school_id",
            "value",
            "denominator",
            "period_from",
            "period_to",
            code=F("indicator__code"),
            kind=F("indicator__kind"),
            default=F("indicator__denominator_default"),
            teachers=F("school__teachers_count"),
            pupils=F("school__pupils_count"),
        )
    )
    visits = (
        MethodicalVisit.objects.filter(school__in=in_scope_ids)
        .filter(_visits_q(date_from, date_to))
        .order_by("date", "pk")
        .values_list("school_id", "date")
    )
    per_school: dict[str, dict[str, Any]] = {
        str(pk): {"visits": [], "done_lines": done_lines.get(pk, 0), "indicators": {}} for pk in in_scope_ids
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
        slot[row["code"]] = {
            "value": _decimal_text(row["value"]),
            "denominator": denominator,
            "from": row["period_from"].isoformat(),
            "to": row["period_to"].isoformat(),
        }
    return per_school


def _decimal_text(value) -> str:
    """A Decimal as a plain string without trailing zeros: Decimal("11.00") → "11", "3.50" → "3.5"."""
    if value == value.to_integral():
        return str(value.quantize(1))
    return format(value.normalize(), "f")


def not_approved_reports_list(
    scope_obj: Region | Municipality, date_from: dt.date, date_to: dt.date
) -> QuerySet[QuarterlyReport]:
    """Reports of in-scope schools for quarters inside the period that are not approved yet."""
    in_scope_ids = schools_in_scope(scope_obj, date_from, date_to).values("pk")
    return (
        QuarterlyReport.objects.filter(roadmap__school__in=in_scope_ids)
        .filter(quarters_q(quarters_within(date_from, date_to)))
        .exclude(status=ReportStatus.APPROVED)
        .select_related("roadmap__school", "roadmap__school__municipality")
        .order_by("roadmap__school__name", "year", "quarter")
    )
