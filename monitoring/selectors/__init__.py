"""Reads of the monitoring app, each scoped to the asking user, and the territories (`Scope`) that
campaigns and coverage are taken over (coverage itself lives in coverage/)."""

from __future__ import annotations

from .scoped import (
    campaign_completeness,
    campaign_schools_for,
    campaign_values,
    campaigns_for,
    dynamics_table,
    indicators_list,
    municipalities_with_schools_for,
    municipality_dynamics,
    open_campaigns_for,
    results_for,
    school_dynamics,
    school_results_summary,
    schools_by_ids,
    visits_for,
    visits_of_school,
)
from .territories import Scope, area_of, school_area_q, schools_in_scope, scope_for_user, scope_object, scopes_for_user

__all__ = [
    "Scope",
    "area_of",
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
    "school_area_q",
    "school_dynamics",
    "school_results_summary",
    "schools_by_ids",
    "schools_in_scope",
    "scope_for_user",
    "scope_object",
    "scopes_for_user",
    "visits_for",
    "visits_of_school",
]
