"""Reads for the references: the user's references, and the tables a reference needs beyond coverage
(results dynamics, activities per school, exclusions, header counts). Every table is one query,
whatever the number of schools."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from core.calendar import period_string, quarters_within
from core.models import Role, User
from core.scope import scope_q
from core.sorting import natural_key
from monitoring.models import AssessmentResult, Procedure
from roadmaps.models import ActivityReport, LineStatus, ReportStatus
from roadmaps.selectors import quarters_q, reported
from schools.models import RegistryEntry, School

from ..models import AnalyticalReference, ReferenceStatus, ReferenceVersion, RenderJob, ScopeKind

VIEW_ROLES: tuple[str, ...] = (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)


def references_for(user: User, *, roles: tuple[str, ...] = VIEW_ROLES) -> QuerySet[AnalyticalReference]:
    """Return the references this user may see: a methodist or municipal head their municipality's,
    a coordinator or regional head every reference of the region, an admin all."""
    return AnalyticalReference.objects.filter(
        scope_q(user, roles=roles, municipality="municipality", region="region")
    ).select_related("region", "municipality", "created_by")


def reference_list(user: User) -> QuerySet[AnalyticalReference]:
    """The list page's rows: the user's references with their latest signed version."""
    latest_signed = ReferenceVersion.objects.filter(reference=OuterRef("pk"), signed_at__isnull=False).exclude(
        pdf_sha256=""
    )
    return references_for(user).annotate(
        signed_version_id=Subquery(latest_signed.order_by("-number").values("pk")[:1]),
        signed_version_number=Subquery(latest_signed.order_by("-number").values("number")[:1]),
    )


def versions_of(reference: AnalyticalReference) -> QuerySet[ReferenceVersion]:
    """Versions without their file bodies, newest first, with who signed them."""
    return (
        reference.versions.defer("pdf", "xlsx", "snapshot", "narrative")
        .select_related("signed_by", "created_by", "job")
        .order_by("-number")
    )


def signed_versions_for(user: User, references: QuerySet[AnalyticalReference]) -> QuerySet[ReferenceVersion]:
    """Signed, rendered versions of the given (already scoped) references, without file bodies."""
    return (
        ReferenceVersion.objects.filter(reference__in=references.values("pk"), signed_at__isnull=False)
        .exclude(pdf_sha256="")
        .defer("pdf", "xlsx", "snapshot", "narrative")
        .select_related("reference", "reference__municipality", "reference__region")
        .order_by("reference__region__name", "reference__municipality__name", "reference_id", "number")
    )


def render_jobs_for(user: User) -> QuerySet[RenderJob]:
    """The rendering jobs the user may see: those of the references in their scope."""
    return RenderJob.objects.select_related("version", "version__reference").filter(
        version__reference__in=references_for(user).values("pk")
    )


def job_for(user: User, job_pk: int) -> RenderJob:
    """A rendering job the user may see (through the reference's scope); DoesNotExist otherwise."""
    return render_jobs_for(user).get(pk=job_pk)


def version_by_code(code: str) -> ReferenceVersion | None:
    """The public verification page's lookup (no user: the code itself is the capability)."""
    return (
        ReferenceVersion.objects.defer("pdf", "xlsx", "snapshot")
        .select_related("reference", "reference__region", "reference__municipality", "signed_by")
        .filter(code=code.strip().upper())
        .first()
    )


def pending_signoff_for(user: User) -> QuerySet[AnalyticalReference]:
    """References waiting for this head's signature."""
    return references_for(user, roles=(Role.HEAD,)).filter(status=ReferenceStatus.SENT)


# --- Tables beyond coverage ----------------------------------------------------------------------


def area_school_counts(*, scope_kind: str, scope_code: str) -> dict[str, int]:
    """All schools of the municipality/region (the header of the programme report)."""
    if scope_kind == ScopeKind.REGION:
        qs = School.objects.filter(municipality__region__code=scope_code)
    else:
        qs = School.objects.filter(municipality__code=scope_code)
    return {"schools": qs.count()}


def results_dynamics(school_ids: list[int], years: list[int]) -> list[dict[str, Any]]:
    """Average scores of the schools, per procedure, subject and year (Block 1 of the programme report)."""
    rows = (
        AssessmentResult.objects.filter(school_id__in=school_ids, year__in=years)
        .order_by("procedure", "subject", "year")
        .values_list("school_id", "procedure", "subject", "year", "average")
    )
    by_proc: dict[str, dict[str, Any]] = {}
    for school_id, procedure, subject, year, average in rows:
        block = by_proc.setdefault(procedure, {"subjects": [], "values": defaultdict(dict)})
        if subject not in block["subjects"]:
            block["subjects"].append(subject)
        block["values"][str(school_id)][f"{subject}|{year}"] = str(average)
    order = [p.value for p in Procedure]
    result = []
    for procedure in sorted(by_proc, key=order.index):
        block = by_proc[procedure]
        result.append(
            {
                "procedure": procedure,
                "label": str(Procedure(procedure).label),
                "subjects": _ordered_subjects(block["subjects"]),
                "values": {k: dict(v) for k, v in block["values"].items()},
            }
        )
    return result


def _ordered_subjects(subjects: list[str]) -> list[str]:
    first = ["русский язык", "математика"]

    def key(s: str) -> tuple[int, str]:
        low = s.lower()
        for i, name in enumerate(first):
            if low.startswith(name):
                return (i, low)
        return (len(first), low)

    return sorted(subjects, key=key)


def activity_lines(school_ids: list[int], date_from: dt.date, date_to: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Report lines of approved reports for quarters inside the period, per school (Block 2)."""
    quarters = quarters_within(date_from, date_to)
    rows = (
        ActivityReport.objects.filter(report__roadmap__school_id__in=school_ids, report__status=ReportStatus.APPROVED)
        .filter(quarters_q(quarters, "report__"))
        .annotate(
            reported_title_=reported("title"),
            reported_direction_name=reported("direction__name"),
            reported_type_name=reported("activity_type__name"),
            reported_due_on_=reported("due_on"),
            reported_starts_on_=reported("starts_on"),
            reported_due_text_=reported("due_text"),
        )
        .order_by(
            "report__roadmap__school_id",
            reported("direction__order"),
            "activity__order",
            "activity_id",
            "report__year",
            "report__quarter",
        )
        .values_list(
            "report__roadmap__school_id",
            "reported_title_",
            "reported_direction_name",
            "reported_type_name",
            "report__year",
            "report__quarter",
            "started_on",
            "finished_on",
            "reported_due_on_",
            "reported_starts_on_",
            "reported_due_text_",
            "status",
            "result",
            "participants",
            "reason",
        )
    )
    labels = dict(LineStatus.choices)
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for school_id, *line in rows:
        result[str(school_id)].append(_line_entry(*line, labels=labels))
    return dict(result)


def _line_entry(
    title: str,
    direction: str,
    type_name: str | None,
    year: int,
    quarter: int,
    started_on: dt.date | None,
    finished_on: dt.date | None,
    due_on: dt.date | None,
    starts_on: dt.date | None,
    due_text: str,
    status: str,
    text: str,
    participants: Any,
    reason: str,
    *,
    labels: dict[str, Any],
) -> dict[str, Any]:
    """One report line as the snapshot stores it (JSON: dates as ISO strings)."""
    return {
        "title": title,
        "direction": direction,
        "type": type_name or "",
        "quarter": period_string(year, quarter),
        "started_on": started_on.isoformat() if started_on else None,
        "finished_on": finished_on.isoformat() if finished_on else None,
        "due_on": due_on.isoformat() if due_on else None,
        "starts_on": starts_on.isoformat() if starts_on else None,
        "due_text": due_text or "",
        "status": status,
        "status_label": str(labels.get(status, "")) if status else "",
        "result": text,
        "participants": participants,
        "reason": reason,
    }


def exclusions(*, scope_kind: str, scope_code: str, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """Schools of the area excluded from the registry within the period, with the justification (Block 3)."""
    area = (
        Q(school__municipality__region__code=scope_code)
        if scope_kind == ScopeKind.REGION
        else Q(school__municipality__code=scope_code)
    )
    rows = (
        RegistryEntry.objects.filter(area, excluded_on__gte=date_from, excluded_on__lte=date_to)
        .select_related("school", "school__municipality")
        .order_by("excluded_on", "pk")
    )
    rows = sorted(rows, key=lambda e: natural_key(e.school.name))
    return [
        {
            "school_id": e.school_id,
            "name": e.school.name,
            "municipality": e.school.municipality.name,
            "excluded_on": e.excluded_on.isoformat(),
            "reason": e.exclusion_reason,
            "category": str(e.get_category_display()),
        }
        for e in rows
    ]


def results_decline(results: list[dict[str, Any]], schools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """School/procedure/subject whose latest average is below the previous year's (for the drafts)."""
    names = {str(s["id"]): s["name"] for s in schools}
    declines = []
    for block in results:
        for school_id, values in block["values"].items():
            for subject in block["subjects"]:
                series = sorted(
                    (int(k.split("|")[1]), Decimal(v)) for k, v in values.items() if k.split("|")[0] == subject
                )
                if len(series) >= 2 and series[-1][1] < series[-2][1]:
                    declines.append(
                        {
                            "school": names.get(school_id, school_id),
                            "procedure": block["label"],
                            "subject": subject,
                            "from_year": series[-2][0],
                            "from": str(series[-2][1]),
                            "to_year": series[-1][0],
                            "to": str(series[-1][1]),
                        }
                    )
    return declines
