"""Reads for the schools pages (directory, registry, school card), always through the user's scope
(`core.scope.schools_for`). Each function runs a fixed number of queries, whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import academic_year_of
from core.models import Role, User
from core.scope import curator_active, curator_active_q, schools_for

from ..models import (
    Category,
    CuratorAssignment,
    LowResultCause,
    RegistryEntry,
    RiskFactor,
    RiskLevel,
    RiskProfileEntry,
    School,
)

NOT_IN_REGISTRY = "none"


# --- Directory ------------------------------------------------------------------------------


def school_rows(schools: QuerySet[School], academic_year: int | None) -> QuerySet[School]:
    """Directory rows (already filtered): municipality, registry entries (of `academic_year` only,
    when one is chosen) and current curators loaded in a fixed number of queries."""
    today = timezone.localdate()
    entries = RegistryEntry.objects.all()
    if academic_year:
        entries = entries.filter(academic_year=academic_year)
    return schools.select_related("municipality").prefetch_related(
        Prefetch("registry_entries", queryset=entries.order_by("-academic_year"), to_attr="registry_list"),
        Prefetch(
            "curator_assignments",
            queryset=CuratorAssignment.objects.filter(curator_active_q(today)).order_by("full_name"),
            to_attr="active_curators",
        ),
    )


def registry_years(schools: QuerySet[School]) -> list[int]:
    """Academic years that have registry entries for these schools, newest first."""
    return list(
        RegistryEntry.objects.filter(school__in=schools.values("pk"))
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def curator_candidates(school: School) -> QuerySet[User]:
    """Active users with the curator role who already curate in the school's region or curate
    nothing yet: a methodist picks among them without seeing other regions' staff."""
    region_id = school.municipality.region_id
    curating_elsewhere = CuratorAssignment.objects.exclude(school__municipality__region_id=region_id).values("user_id")
    curating_here = CuratorAssignment.objects.filter(school__municipality__region_id=region_id).values("user_id")
    return (
        User.objects.filter(memberships__role=Role.CURATOR, is_active=True)
        .filter(Q(pk__in=curating_here) | ~Q(pk__in=curating_elsewhere.filter(user__isnull=False)))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- Registry page --------------------------------------------------------------------------


def registry_year_with_data(entries: QuerySet[RegistryEntry]) -> int:
    """The current academic year, or the latest earlier one with registry entries when the current
    one has none yet (the registry of a new year is approved during its first weeks)."""
    current = academic_year_of(timezone.localdate())
    latest = entries.filter(academic_year__lte=current).aggregate(year=Max("academic_year"))["year"]
    return latest if latest is not None else current


def registry_rows(entries: QuerySet[RegistryEntry]) -> QuerySet[RegistryEntry]:
    """Registry rows (already filtered): the school, its municipality and current curators."""
    today = timezone.localdate()
    return entries.select_related("school__municipality").prefetch_related(
        Prefetch(
            "school__curator_assignments",
            queryset=CuratorAssignment.objects.filter(curator_active_q(today)).order_by("full_name"),
            to_attr="active_curators",
        )
    )


def registry_totals(entries: QuerySet[RegistryEntry]) -> dict[str, int]:
    """Entries, by category, and how many were excluded, in one aggregate query."""
    return entries.order_by().aggregate(
        total=Count("pk"),
        shnor=Count("pk", filter=Q(category=Category.SHNOR)),
        shfnsu=Count("pk", filter=Q(category=Category.SHFNSU)),
        excluded=Count("pk", filter=Q(excluded_on__isnull=False)),
    )


# --- School card ----------------------------------------------------------------------------


def risk_factors_for_year(year: int, catalogue: list[RiskFactor] | None = None) -> list[RiskFactor]:
    """The catalogue version that applies to `year`: the latest version not after the year (the
    oldest version for years before the first one)."""
    factors = catalogue if catalogue is not None else list(RiskFactor.objects.order_by("version", "order", "pk"))
    versions = sorted({f.version for f in factors})
    if not versions:
        return []
    applicable = [v for v in versions if v <= year]
    version = applicable[-1] if applicable else versions[0]
    return [f for f in factors if f.version == version]


@dataclass
class RiskRow:
    factor: RiskFactor
    level: str
    level_label: str


LEVEL_CSS = {RiskLevel.HIGH: "danger", RiskLevel.MEDIUM: "warning", RiskLevel.LOW: "success"}


def risk_profile_rows(school: School, year: int, catalogue: list[RiskFactor]) -> tuple[list[RiskRow], list[RiskRow]]:
    """Rows for the year's catalogue version, and rows of that year recorded against factors of
    another version (kept visible rather than silently hidden)."""
    factors = risk_factors_for_year(year, catalogue)
    entries = {e.factor_id: e for e in RiskProfileEntry.objects.filter(school=school, year=year)}
    labels = dict(RiskLevel.choices)
    rows = []
    for factor in factors:
        entry = entries.pop(factor.pk, None)
        level = entry.level if entry else ""
        rows.append(RiskRow(factor, level, str(labels.get(level, _("не оценивался")))))
    by_pk = {f.pk: f for f in catalogue}
    others = [RiskRow(by_pk[e.factor_id], e.level, str(labels.get(e.level, e.level))) for e in entries.values()]
    return rows, others


def risk_years(school: School) -> list[int]:
    """Years for which the school has a risk profile, newest first."""
    return sorted(
        set(RiskProfileEntry.objects.filter(school=school).order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )


def risk_year_choices(years_with_data: list[int], catalogue: list[RiskFactor], chosen: int) -> list[int]:
    """Years offered for the risk profile: those with data, the catalogue versions' years, the
    current year and the chosen one, newest first."""
    years = {*years_with_data, *(f.version for f in catalogue), timezone.localdate().year, chosen}
    return sorted(years, reverse=True)


def school_card(user: User, school: School) -> dict[str, Any]:
    """Everything the card shows about a school, in a fixed number of queries."""
    today = timezone.localdate()
    registry = list(school.registry_entries.order_by("-academic_year"))
    curators = list(school.curator_assignments.select_related("user").order_by("-assigned_on", "full_name"))
    partners = list(
        school.partner_assignments.select_related("leader__municipality").order_by("-date_from", "leader__name")
    )
    mentored = list(
        school.mentored_assignments.select_related("school__municipality").order_by("-date_from", "school__name")
    )
    linked = {p.leader_id for p in partners} | {m.school_id for m in mentored}
    visible = set(schools_for(user).filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()
    causes = list(school.low_result_causes.order_by("-year", "pk"))
    causes_by_year: dict[int, list[LowResultCause]] = {}
    for cause in causes:
        causes_by_year.setdefault(cause.year, []).append(cause)
    return {
        "registry": registry,
        "current_entry": registry[0] if registry else None,
        "current_curators": [c for c in curators if curator_active(c, today)],
        "past_curators": [c for c in curators if not curator_active(c, today)],
        "partners": partners,
        "mentored": mentored,
        "visible_school_ids": visible,
        "causes_by_year": sorted(causes_by_year.items(), reverse=True),
        "current_academic_year": academic_year_of(today),
    }
