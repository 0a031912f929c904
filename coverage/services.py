"""Everything that writes coverage: the stored snapshot of a scope and period, computed now or by
the worker. A snapshot only caches what the selectors compute, so no user check is made here: the
views and tasks that call these have checked the scope (`scope_for_user`) already."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from monitoring.models import CoverageSnapshot
from monitoring.selectors import Scope
from schools.models import Municipality, Region

from .selectors import coverage_compute, coverage_fingerprint, coverage_snapshot_is_fresh

_UNKNOWN = object()


def coverage_snapshot_store(
    *,
    scope: Scope,
    date_from: dt.date,
    date_to: dt.date,
    fingerprint: str | None = None,
    area: Region | Municipality | None = None,
    existing: Any = _UNKNOWN,
) -> CoverageSnapshot:
    """Compute the coverage tables and store them as the scope's snapshot for the period.

    The fingerprint is taken before the tables are computed, so a change made meanwhile makes the
    snapshot stale rather than silently included or lost. `area` is the scope's object when the
    caller holds it; `existing` the stored row's pk (or None) when the caller has just read it.
    """
    fingerprint = fingerprint or coverage_fingerprint(scope=scope, area=area)
    data = coverage_compute(scope=scope, date_from=date_from, date_to=date_to, area=area)
    key = {"scope_kind": scope.kind, "scope_code": scope.code, "date_from": date_from, "date_to": date_to}
    defaults = {"computed_at": timezone.now(), "fingerprint": fingerprint, "data": data}
    # A plain UPDATE of the existing row, else an INSERT: two or four statements where
    # update_or_create takes eight (nested savepoints and a SELECT … FOR UPDATE), on the home page.
    if existing is _UNKNOWN:
        existing = CoverageSnapshot.objects.filter(**key).values_list("pk", flat=True).first()
    if existing is not None and CoverageSnapshot.objects.filter(pk=existing).update(**defaults):
        return CoverageSnapshot(pk=existing, **key, **defaults)
    try:
        with transaction.atomic():
            snapshot = CoverageSnapshot.objects.create(**key, **defaults)
    except IntegrityError:  # a concurrent refresh created it first: overwrite theirs
        snapshot = CoverageSnapshot.objects.get(**key)
        for field, value in defaults.items():
            setattr(snapshot, field, value)
        snapshot.save(update_fields=list(defaults))
    return snapshot


def coverage_snapshot_ensure(
    *,
    scope: Scope,
    date_from: dt.date,
    date_to: dt.date,
    area: Region | Municipality | None = None,
    keys: tuple[str, ...] = (),
) -> CoverageSnapshot:
    """The fresh snapshot, recomputed now when missing or stale (a fixed handful of queries).

    `area`: the scope's Region or Municipality (with its region) when the caller already holds it.
    `keys`: read only these top-level keys of a fresh stored snapshot's data (a home panel needs a
    few counts, not the per-school tables of a region, which take longer to load than to look at).
    """
    fingerprint = coverage_fingerprint(scope=scope, area=area)
    stored_qs = CoverageSnapshot.objects.filter(
        scope_kind=scope.kind, scope_code=scope.code, date_from=date_from, date_to=date_to
    )
    if keys:
        stored_qs = stored_qs.defer("data").annotate(**{f"data_{key}": KeyTransform(key, "data") for key in keys})
    stored = stored_qs.first()
    if stored is not None and coverage_snapshot_is_fresh(stored, fingerprint=fingerprint):
        if keys:
            stored.data = {key: getattr(stored, f"data_{key}") for key in keys}
        return stored
    return coverage_snapshot_store(
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        fingerprint=fingerprint,
        area=area,
        existing=stored.pk if stored is not None else None,
    )


def coverage_refresh_request(*, scope: Scope, date_from: dt.date, date_to: dt.date) -> bool:
    """Ask the worker to recompute the snapshot; True when the task was sent (or ran in-process).

    Nothing the task reads is written by the caller, so it is sent at once rather than on commit:
    the caller then knows whether the broker took it. When it did not (Redis down), the snapshot
    is computed here, in the request: a region takes well under a second.
    """
    from .tasks import coverage_snapshot_refresh  # the task module imports these services

    sent = coverage_snapshot_refresh.delay(scope.kind, scope.code, date_from.isoformat(), date_to.isoformat())
    if sent is None:
        coverage_snapshot_store(scope=scope, date_from=date_from, date_to=date_to)
        return False
    return True
