"""Celery entry points of coverage."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# The name it had in monitoring/tasks.py, so messages queued before the move still find it.
@shared_task(name="monitoring.tasks.coverage_snapshot_refresh", acks_late=True, soft_time_limit=120, time_limit=180)
def coverage_snapshot_refresh(scope_kind: str, scope_code: str, date_from: str, date_to: str) -> int:
    """Compute and store the coverage snapshot of a scope and period; returns its id.

    Idempotent: a rerun overwrites the same snapshot row (one per scope and period).
    """
    from monitoring.selectors import Scope

    from .services import coverage_snapshot_store

    scope = Scope.parse(f"{scope_kind}:{scope_code}")
    return coverage_snapshot_store(scope=scope, date_from=_date(date_from), date_to=_date(date_to)).pk
