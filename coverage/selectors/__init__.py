"""Reads of coverage: the tables of a scope and period, their freshness, the rows pages print.

Coverage API (agreed with the references): `Scope`, `scope_for_user(user, scope)` and
`coverage_compute(*, scope, date_from, date_to)`; the returned dict's keys are fixed:
scope, period, schools, total, not_approved_reports, indicators, directions, per_school.
"""

from __future__ import annotations

from .compute import (
    COVERAGE_INDICATORS,
    coverage_compute,
    not_approved_reports_list,
)
from .fingerprint import coverage_fingerprint, coverage_snapshot_fresh, coverage_snapshot_is_fresh

__all__ = [
    "COVERAGE_INDICATORS",
    "coverage_compute",
    "coverage_fingerprint",
    "coverage_snapshot_fresh",
    "coverage_snapshot_is_fresh",
    "not_approved_reports_list",
]
