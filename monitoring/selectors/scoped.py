"""Reads for monitoring pages, each scoped to the asking user."""

from __future__ import annotations

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Case, Count, Exists, IntegerField, Max, Min, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import User
from core.scope import school_q, schools_for
from monitoring.models import (
    AssessmentResult,
    Campaign,
    Indicator,
    IndicatorValue,
    MethodicalVisit,
    Procedure,
)
from schools.models import Municipality, School

PROCEDURE_ORDER = [p.value for p in Procedure]
PROCEDURE_LABELS = dict(Procedure.choices)


# --- indicators and campaigns ------------------------------------------------------------------


def indicators_list() -> QuerySet[Indicator]:
    """The indicator catalogue (visible to every signed-in user)."""
    return Indicator.objects.order_by("order", "code")


def campaigns_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[Campaign]:
    """Campaigns that include at least one school the user sees (through `roles`)."""
    through = Campaign.schools.through.objects.filter(campaign=OuterRef("pk")).filter(
        school_q(user, roles=roles, path="school")
    )
    return Campaign.objects.filter(Exists(through)).select_related("region", "municipality", "created_by")


def campaign_schools_for(user: User, campaign: Campaign, *, roles: tuple[str, ...] | None = None) -> QuerySet[School]:
    """The campaign's schools the user sees."""
    return schools_for(user, roles=roles).filter(campaigns=campaign).select_related("municipality")


def _filled_subquery(indicator_ids_ref: Any) -> Subquery:
    """Number of values a school entered for a campaign's indicators and period (outer row: the
    campaign–school link)."""
    values = (
        IndicatorValue.objects.filter(
            school_id=OuterRef("school_id"),
            period_from=OuterRef("campaign__period_from"),
            period_to=OuterRef("campaign__period_to"),
            indicator_id__in=indicator_ids_ref,
        )
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(values, output_field=IntegerField())


def campaign_completeness(user: User, campaigns: list[Campaign]) -> dict[int, list[dict[str, Any]]]:
    """Per campaign, per school the user sees: how many of the campaign's indicators are entered.

    Two queries whatever the number of campaigns and schools.
    """
    if not campaigns:
        return {}
    ids = [c.pk for c in campaigns]
    totals = dict(
        Campaign.indicators.through.objects.filter(campaign_id__in=ids)
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    indicator_ids = Campaign.indicators.through.objects.filter(campaign_id=OuterRef(OuterRef("campaign_id"))).values(
        "indicator_id"
    )
    links = (
        Campaign.schools.through.objects.filter(campaign_id__in=ids)
        .filter(school_q(user, path="school"))
        .annotate(filled=Coalesce(_filled_subquery(indicator_ids), Value(0)))
        .select_related("school")
        .order_by("school__name", "school_id")
    )
    result: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for link in links:
        total = totals.get(link.campaign_id, 0)
        result[link.campaign_id].append(
            {"school": link.school, "filled": link.filled, "total": total, "complete": total and link.filled >= total}
        )
    return result


def open_campaigns_for(user: User, *, roles: tuple[str, ...] | None = None) -> list[Campaign]:
    """Campaigns whose deadline has not passed, among those the user sees."""
    today = timezone.localdate()
    return list(
        campaigns_for(user, roles=roles)
        .filter(deadline__gte=today)
        .annotate(indicator_count=Count("indicators", distinct=True))
        .order_by("deadline", "name")
    )


def campaign_values(campaign: Campaign, school: School) -> dict[int, IndicatorValue]:
    """The school's values for the campaign's period, by indicator id."""
    return {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            school=school, period_from=campaign.period_from, period_to=campaign.period_to
        )
    }


# --- visits and results ------------------------------------------------------------------------


def visits_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[MethodicalVisit]:
    return (
        MethodicalVisit.objects.filter(school_q(user, roles=roles, path="school"))
        .select_related("school", "school__municipality", "recorded_by")
        .order_by("-date", "school__name", "-pk")
    )


def results_for(user: User, *, roles: tuple[str, ...] | None = None) -> QuerySet[AssessmentResult]:
    procedure_rank = Case(
        *(When(procedure=code, then=Value(i)) for i, code in enumerate(PROCEDURE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        AssessmentResult.objects.filter(school_q(user, roles=roles, path="school"))
        .select_related("school", "school__municipality")
        .annotate(procedure_rank=procedure_rank)
        .order_by("school__name", "school_id", "procedure_rank", "subject", "year")
    )


def municipalities_with_schools_for(user: User) -> QuerySet[Municipality]:
    """Municipalities in which the user sees at least one school (for the dynamics picker)."""
    return Municipality.objects.filter(
        Exists(School.objects.filter(municipality=OuterRef("pk")).filter(school_q(user)))
    ).select_related("region")


def _q2(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dynamics_table(rows: list[tuple]) -> dict[str, Any]:
    """Arrange (procedure, subject, year, average[, schools]) rows as the dynamics table and chart.

    A missing year stays None (printed «–», a gap in the chart). A value below the previous year
    that has a value is marked as a decline. `schools` (for a municipality's mean) is kept per cell.
    """
    years = sorted({r[2] for r in rows})
    grid: OrderedDict[str, OrderedDict[str, dict[int, Decimal | None]]] = OrderedDict()
    counts: dict[tuple[str, str, int], int] = {}
    for procedure in PROCEDURE_ORDER:
        for proc, subject, year, average, *rest in rows:
            if proc != procedure:
                continue
            grid.setdefault(procedure, OrderedDict()).setdefault(subject, {})[year] = _q2(average)
            if rest:
                counts[(proc, subject, year)] = rest[0]
    procedures = []
    for procedure, subjects in grid.items():
        lines = []
        for subject in sorted(subjects):
            by_year = subjects[subject]
            cells = []
            previous: tuple[int, Decimal] | None = None
            for year in years:
                value = by_year.get(year)
                cell: dict[str, Any] = {
                    "year": year,
                    "value": value,
                    "decline": False,
                    "previous": None,
                    "schools": counts.get((procedure, subject, year)),
                }
                if value is not None:
                    if previous is not None and value < previous[1]:
                        cell.update(decline=True, previous_year=previous[0], previous=previous[1])
                    previous = (year, value)
                cells.append(cell)
            lines.append({"subject": subject, "cells": cells})
        procedures.append(
            {
                "code": procedure,
                "label": PROCEDURE_LABELS[procedure],
                "subjects": lines,
                "chart": {
                    "title": PROCEDURE_LABELS[procedure],
                    "labels": [str(y) for y in years],
                    "datasets": [
                        {
                            "label": line["subject"],
                            "data": [None if c["value"] is None else float(c["value"]) for c in line["cells"]],
                        }
                        for line in lines
                    ],
                },
            }
        )
    return {"years": years, "procedures": procedures}


def school_dynamics(school: School) -> dict[str, Any]:
    rows = list(AssessmentResult.objects.filter(school=school).values_list("procedure", "subject", "year", "average"))
    return dynamics_table(rows)


def municipality_dynamics(user: User, municipality: Municipality) -> dict[str, Any]:
    """The municipality's mean of school averages per procedure, subject and year (computed in the
    database), and each school's own table."""
    base = AssessmentResult.objects.filter(school__municipality=municipality).filter(school_q(user, path="school"))
    means = list(
        base.order_by()
        .values("procedure", "subject", "year")
        .annotate(mean=Avg("average"), schools=Count("school", distinct=True))
        .values_list("procedure", "subject", "year", "mean", "schools")
    )
    per_school: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for r in base.select_related("school").order_by("school__name", "school_id"):
        entry = per_school.setdefault(r.school_id, {"school": r.school, "rows": []})
        entry["rows"].append((r.procedure, r.subject, r.year, r.average))
    return {
        "mean": dynamics_table(means),
        "schools": [{"school": e["school"], "table": dynamics_table(e["rows"])} for e in per_school.values()],
    }


def schools_by_ids(ids: list[int]) -> list[School]:
    return list(School.objects.filter(pk__in=ids).select_related("municipality").order_by("name", "pk"))


def visits_of_school(school: School, *, limit: int = 20) -> list[MethodicalVisit]:
    return list(MethodicalVisit.objects.filter(school=school).order_by("-date", "-pk")[:limit])


def school_results_summary(school: School) -> dict[str, Any]:
    """How many results the school has and over which years (for the school card)."""
    return AssessmentResult.objects.filter(school=school).aggregate(n=Count("pk"), first=Min("year"), last=Max("year"))


__all__ = [
    "campaign_completeness",
    "campaign_schools_for",
    "campaign_values",
    "campaigns_for",
    "dynamics_table",
    "indicators_list",
    "municipalities_with_schools_for",
    "municipality_dynamics",
    "open_campaigns_for",
    "results_for",
    "school_dynamics",
    "school_results_summary",
    "schools_by_ids",
    "visits_for",
    "visits_of_school",
]
