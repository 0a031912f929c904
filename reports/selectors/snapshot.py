"""The data snapshot of a reference and the hashes that make rendering idempotent.

The snapshot is plain JSON: coverage from `coverage.selectors.coverage_compute` (through the stored,
fingerprinted coverage snapshot of `coverage.services.coverage_snapshot_ensure`) plus the tables
only the references need. The same snapshot, narrative, template and precision always give the
same hash, so the same inputs are never rendered twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from .. import selectors
from ..models import ReferenceTemplate
from .warnings import visits_outside

SNAPSHOT_SCHEMA = 1


def snapshot_compute(
    *, scope_kind: str, scope_code: str, date_from: dt.date, date_to: dt.date, template: str | None = None
) -> dict[str, Any]:
    """Every number a reference prints, for the scope and period (no user check: tasks and commands).

    With a `template`, only the tables that template prints are read (Block 2's report lines, the
    largest, only for the programme report); without one, all of them.
    """
    from coverage.services import coverage_snapshot_ensure
    from monitoring.selectors import Scope

    # The coverage tables are the stored snapshot of the scope and period when the data they were
    # computed from has not changed since (one fingerprint query instead of recomputing them); a
    # missing or stale one is recomputed and stored here.
    coverage = coverage_snapshot_ensure(
        scope=Scope(kind=scope_kind, code=scope_code), date_from=date_from, date_to=date_to
    ).data
    school_ids = [s["id"] for s in coverage["schools"]]
    years = list(range(date_to.year - 2, date_to.year + 1))
    full = template in (None, ReferenceTemplate.PROGRAM_REPORT)
    results = selectors.results_dynamics(school_ids, years) if template != ReferenceTemplate.METHODICAL_HELP else []
    snapshot: dict[str, Any] = {
        "schema": SNAPSHOT_SCHEMA,
        "coverage": coverage,
        "years": years,
        "results": results,
        "declines": selectors.results_decline(results, coverage["schools"]),
        # Not printed: the author's warnings (selectors/warnings.py) list the visits that fall out.
        "visits_outside": visits_outside(school_ids, date_from, date_to),
    }
    if full:
        snapshot["area"] = selectors.area_school_counts(scope_kind=scope_kind, scope_code=scope_code)
        snapshot["activities"] = selectors.activity_lines(school_ids, date_from, date_to)
        snapshot["exclusions"] = selectors.exclusions(
            scope_kind=scope_kind, scope_code=scope_code, date_from=date_from, date_to=date_to
        )
    return snapshot


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def input_hash(*, snapshot: dict, narrative: dict, template: str, precision: int) -> str:
    """SHA-256 of everything a version is rendered from (except the signature)."""
    payload = canonical_json({"s": snapshot, "n": narrative, "t": template, "p": precision})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render_hash(*, base_hash: str, signature: dict | None, code: str) -> str:
    """SHA-256 of a render's inputs: the version's inputs, its code and its signature (if any)."""
    payload = canonical_json({"b": base_hash, "sig": signature or {}, "c": code})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
