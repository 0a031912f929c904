"""Whether a stored coverage snapshot still holds: a fingerprint of the data it was computed from."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.utils import timezone

from monitoring.models import CoverageSnapshot, Indicator, IndicatorValue, MethodicalVisit
from monitoring.selectors import Scope, area_of, school_area_q
from roadmaps.models import Activity, ActivityReport, ActivityType, QuarterlyReport
from schools.models import Municipality, PartnerAssignment, Region, RegistryEntry, School

from .compute import RULES_VERSION, scalar_aggregate


def coverage_fingerprint(*, scope: Scope, area: Region | Municipality | None = None) -> str:
    """A cheap version stamp of everything the scope's coverage depends on, in one query.

    Every change made through the ORM leaves a history row (django-simple-history), so the
    largest history id of each table, restricted to the scope's schools, changes whenever the
    data does; live row counts catch rows written in bulk without history. The rules' version
    leads, so a snapshot stored by earlier rules is stale.
    """
    obj = area_of(scope, area)
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
    return ";".join([f"rules={RULES_VERSION}", *(f"{k}={row[k] or 0}" for k in sorted(row))])


@lru_cache(maxsize=256)
def _fingerprint_sql(vendor: str, model: type[Region] | type[Municipality], pk: int) -> tuple[str, tuple]:
    """The fingerprint statement of one area (`vendor` keys the cache by database flavour)."""
    obj = model(pk=pk)
    area = school_area_q(obj, prefix="school__")
    hist = {
        "school": School.history.model.objects.filter(school_area_q(obj)),
        "registry": RegistryEntry.history.model.objects.filter(area),
        "partner": PartnerAssignment.history.model.objects.filter(area),
        "visit": MethodicalVisit.history.model.objects.filter(area),
        "value": IndicatorValue.history.model.objects.filter(area),
        "report": QuarterlyReport.history.model.objects.filter(school_area_q(obj, prefix="roadmap__school__")),
        "line": ActivityReport.history.model.objects.filter(school_area_q(obj, prefix="report__roadmap__school__")),
        "activity": Activity.history.model.objects.filter(school_area_q(obj, prefix="roadmap__school__")),
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
            report__in=QuarterlyReport.objects.filter(school_area_q(obj, prefix="roadmap__school__")).values("pk")
        ),
        "report_n": QuarterlyReport.objects.filter(school_area_q(obj, prefix="roadmap__school__")),
        "types_n": ActivityType.objects.filter(is_active=True),
        "indicators_n": Indicator.objects.all(),
    }
    annotations: dict[str, Any] = {k: scalar_aggregate(qs, "history_id", "MAX") for k, qs in hist.items()}
    annotations.update({k: scalar_aggregate(qs, "pk", "COUNT") for k, qs in live.items()})
    annotations["types_max"] = scalar_aggregate(ActivityType.objects.all(), "pk", "MAX")
    # Reports move on by a conditional UPDATE of their version (optimistic locking), which leaves no
    # history row: the sum of versions moves with every such save.
    annotations["report_v"] = scalar_aggregate(
        QuarterlyReport.objects.filter(school_area_q(obj, prefix="roadmap__school__")), "version", "SUM"
    )
    qs = model.objects.filter(pk=pk).annotate(**annotations).values(*annotations)
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def coverage_snapshot_fresh(
    *, scope: Scope, date_from: dt.date, date_to: dt.date, fingerprint: str | None = None
) -> CoverageSnapshot | None:
    """The stored snapshot of the scope and period if the data it was computed from has not changed
    (`fingerprint`: the current one, when the caller has already computed it)."""
    snapshot = CoverageSnapshot.objects.filter(
        scope_kind=scope.kind, scope_code=scope.code, date_from=date_from, date_to=date_to
    ).first()
    if snapshot is None:
        return None
    if not coverage_snapshot_is_fresh(snapshot, fingerprint=fingerprint or coverage_fingerprint(scope=scope)):
        return None
    return snapshot


def coverage_snapshot_is_fresh(snapshot: CoverageSnapshot, *, fingerprint: str) -> bool:
    """Whether a stored snapshot is young enough and its data unchanged (`fingerprint`: the current one)."""
    max_age = dt.timedelta(seconds=settings.COVERAGE_SNAPSHOT_MAX_AGE_SECONDS)
    return timezone.now() - snapshot.computed_at <= max_age and snapshot.fingerprint == fingerprint
