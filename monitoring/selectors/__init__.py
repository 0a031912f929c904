"""Reads of the monitoring app.

Coverage API (agreed with the references): `Scope`, `scope_for_user(user, scope)` and
`coverage_compute(*, scope, date_from, date_to)`; the returned dict's keys are fixed:
scope, period, schools, total, not_approved_reports, indicators, directions, per_school.
Everything else here is scoped to the asking user.
"""

from __future__ import annotations

from .coverage import (
    COVERAGE_INDICATORS,
    Scope,
    coverage_compute,
    coverage_fingerprint,
    not_approved_reports_list,
    quarters_inside,
    schools_in_scope,
    scope_for_user,
    scope_object,
    scopes_for_user,
)
from .scoped import (
    campaign_completeness,
    campaign_schools_for,
    campaign_values,
    campaigns_for,
    coverage_snapshot_fresh,
    coverage_snapshot_is_fresh,
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

__all__ = [
    "COVERAGE_INDICATORS",
    "Scope",
    "campaign_completeness",
    "campaign_schools_for",
    "campaign_values",
    "campaigns_for",
    "coverage_compute",
    "coverage_fingerprint",
    "coverage_snapshot_fresh",
    "coverage_snapshot_is_fresh",
    "dynamics_table",
    "indicators_list",
    "municipalities_with_schools_for",
    "municipality_dynamics",
    "not_approved_reports_list",
    "open_campaigns_for",
    "quarters_inside",
    "results_for",
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
