"""Reads for the roadmaps pages: every query is scoped to the user asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import Truncator

from core.calendar import date_text, quarter_academic_year, quarter_bounds
from core.models import Role, User
from core.scope import school_q, schools_for
from schools.models import Municipality, RegistryEntry, School

from ..models import ActivityReport, Evidence, QuarterlyReport, ReportStatus, ReviewComment, Roadmap
from .reported import reported
from .windows import deadlines_by_region, default_deadline

# Statuses of a school for a quarter, as the dashboards show them.
BOARD_STATUSES = [
    ("not_started", "не начат", "secondary"),
    ("draft", "черновик", "info"),
    ("submitted", "на проверке", "primary"),
    ("returned", "возвращён", "warning"),
    ("approved", "утверждён", "success"),
    ("late", "просрочен", "danger"),
]
BOARD_LABELS = {key: (label, color) for key, label, color in BOARD_STATUSES}
REPORT_BADGES = {
    ReportStatus.DRAFT: "info",
    ReportStatus.SUBMITTED: "primary",
    ReportStatus.RETURNED: "warning",
    ReportStatus.APPROVED: "success",
}

# The fields of a report line a school fills in (its history and the edit conflicts compare these).
LINE_FIELDS = ("status", "started_on", "finished_on", "result", "participants", "reason")


def roadmaps_for(user: User) -> QuerySet[Roadmap]:
    """Roadmaps of the schools the user may see."""
    return (
        Roadmap.objects.filter(school_q(user, path="school")).select_related("school__municipality__region").distinct()
    )


def reports_for(user: User) -> QuerySet[QuarterlyReport]:
    """Quarterly reports of the schools the user may see."""
    return (
        QuarterlyReport.objects.filter(school_q(user, path="roadmap__school"))
        .select_related("roadmap__school__municipality__region", "approved_by", "certified_by", "last_edited_by")
        .distinct()
    )


def evidence_for(user: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(school_q(user, path="line__report__roadmap__school")).distinct()


def review_queue(user: User) -> QuerySet[QuarterlyReport]:
    """Submitted reports waiting for this methodist (their municipality), oldest first."""
    scope = school_q(user, roles=(Role.METHODIST, Role.ADMIN), path="roadmap__school")
    return (
        QuarterlyReport.objects.filter(scope, status=ReportStatus.SUBMITTED)
        .select_related("roadmap__school__municipality")
        .order_by("submitted_at", "pk")
    )


def certify_queue(user: User) -> QuerySet[QuarterlyReport]:
    """Submitted or approved reports of the curator's schools not yet certified."""
    scope = school_q(user, roles=(Role.CURATOR,), path="roadmap__school")
    return (
        QuarterlyReport.objects.filter(
            scope, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED], certified_at__isnull=True
        )
        .select_related("roadmap__school__municipality")
        .distinct()
        .order_by("submitted_at", "pk")
    )


def report_lines(report: QuarterlyReport) -> list[ActivityReport]:
    """Lines of a report with everything the page shows, in a fixed number of queries."""
    return list(
        report.lines.select_related(
            "activity__direction",
            "activity__activity_type",
            "activity__indicator",
            "reported_direction",
            "reported_type",
        )
        .order_by(reported("direction__order"), "activity__order", "activity_id")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
        )
    )


def quarters_q(quarters: list[tuple[int, int]], prefix: str = "") -> Q:
    """Q over QuarterlyReport (through `prefix`, e.g. «report__») matching the given quarters; matches
    nothing if none. With `core.calendar.quarters_within` it is the rule «a report counts in a period
    when its quarter lies wholly inside»."""
    q = Q(**{f"{prefix}pk__in": []})
    for year, quarter in quarters:
        q |= Q(**{f"{prefix}year": year, f"{prefix}quarter": quarter})
    return q


def certification_voided(report: QuarterlyReport) -> str:
    """Why the curator's certification was removed, while the report has not been certified again."""
    last = report.transitions.filter(action__in=("certify", "uncertify")).order_by("-created_at", "-id").first()
    return last.comment if last is not None and last.action == "uncertify" else ""


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str
    details: list[str] = field(default_factory=list)
    kind: str = "edit"


def _display(line_field, value) -> str:
    if value in (None, ""):
        return "—"
    if line_field.choices:
        return str(dict(line_field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return date_text(value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def report_history(report: QuarterlyReport, lines: list[ActivityReport], limit: int = 300) -> list[HistoryEntry]:
    """Transitions and field-level edits (django-simple-history), newest first."""
    titles = {line.pk: line.reported.title for line in lines}
    entries: list[HistoryEntry] = []
    for t in report.transitions.select_related("actor"):
        verb = {
            "submit": "Отправлен на проверку",
            "return": "Возвращён на доработку",
            "approve": "Утверждён",
            "certify": "Заверен куратором",
            "reopen": "Открыт для исправления",
            "uncertify": "Заверение снято",
            "import": "Импортирован из книги Excel",
        }.get(t.action, t.action)
        details = (
            [f"{t.get_from_status_display()} → {t.get_to_status_display()}"] if t.from_status != t.to_status else []
        )
        if t.comment:
            details.append(f"Комментарий: {t.comment}")
        who = t.actor.short_name if t.actor else "команда импорта"
        entries.append(HistoryEntry(t.created_at, who, verb, details, kind="transition"))
    previous: dict[int, object] = {}
    fields = {f: ActivityReport._meta.get_field(f) for f in LINE_FIELDS}
    records = (
        ActivityReport.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None or record.history_type != "~":
            continue
        details = [
            f"{f.verbose_name}: {_display(f, getattr(before, name))} → {_display(f, getattr(record, name))}"
            for name, f in fields.items()
            if getattr(before, name) != getattr(record, name)
        ]
        if details:
            who = record.history_user.short_name if record.history_user else "—"
            title = titles.get(record.id, "строка удалена")
            entries.append(
                HistoryEntry(record.history_date, who, f"Изменена строка «{Truncator(title).chars(80)}»", details)
            )
    for record in Evidence.history.filter(line__report_id=report.pk).select_related("history_user"):
        if record.history_type not in ("+", "-"):
            continue
        who = record.history_user.short_name if record.history_user else "—"
        verb = "Загружен файл" if record.history_type == "+" else "Удалён файл"
        title = titles.get(record.line_id, "")
        entries.append(
            HistoryEntry(record.history_date, who, f"{verb} «{record.original_name}»", [f"Строка «{title[:80]}»"])
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def expected_schools(year: int, quarter: int) -> QuerySet[School]:
    """Schools expected to report for the quarter: in the registry during it, or with a roadmap for its
    academic year; annotated with their report's id, status and submission time."""
    start, end = quarter_bounds(year, quarter)
    academic_year = quarter_academic_year(year, quarter)
    from schools.selectors import registry_active_q

    active = RegistryEntry.objects.filter(registry_active_q(start, end)).values("school_id")
    with_roadmap = Roadmap.objects.filter(academic_year=academic_year).values("school_id")
    report = QuarterlyReport.objects.filter(roadmap__school=OuterRef("pk"), year=year, quarter=quarter)
    return (
        School.objects.filter(Q(pk__in=active) | Q(pk__in=with_roadmap))
        .select_related("municipality__region")
        .annotate(
            report_id=Subquery(report.values("pk")[:1]),
            report_status=Subquery(report.values("status")[:1]),
            report_submitted_at=Subquery(report.values("submitted_at")[:1]),
            roadmap_id=Subquery(
                Roadmap.objects.filter(school=OuterRef("pk"), academic_year=academic_year).values("pk")[:1]
            ),
        )
        .order_by("municipality__name", "name")
    )


@dataclass
class SchoolStatus:
    school: School
    key: str
    deadline: dt.date
    report_id: int | None
    roadmap_id: int | None

    @property
    def label(self) -> str:
        return BOARD_LABELS[self.key][0]

    @property
    def color(self) -> str:
        return BOARD_LABELS[self.key][1]


def board_key(status: str | None, deadline: dt.date, today: dt.date) -> str:
    if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED):
        return status
    if today > deadline:
        return "late"
    return status or "not_started"


def school_statuses(user: User, year: int, quarter: int, *, roles: tuple[str, ...] | None = None) -> list[SchoolStatus]:
    """Each school in the user's scope expected to report for the quarter, with its status (2 queries)."""
    today = timezone.localdate()
    configured = deadlines_by_region(year, quarter)
    fallback = default_deadline(year, quarter)
    rows = expected_schools(year, quarter).filter(pk__in=schools_for(user, roles=roles).values("pk"))
    result = []
    for school in rows:
        deadline = configured.get(school.municipality.region_id, fallback)
        key = board_key(school.report_status, deadline, today)
        result.append(SchoolStatus(school, key, deadline, school.report_id, school.roadmap_id))
    return result


def status_counts(statuses: list[SchoolStatus]) -> list[dict]:
    counts = {key: 0 for key, _l, _c in BOARD_STATUSES}
    for s in statuses:
        counts[s.key] += 1
    return [{"key": k, "label": label, "color": color, "count": counts[k]} for k, label, color in BOARD_STATUSES]


@dataclass
class MunicipalityRow:
    municipality: Municipality
    counts: dict[str, int]
    total: int

    @property
    def cells(self) -> list[int]:
        return [self.counts[k] for k, _l, _c in BOARD_STATUSES]


def municipality_table(user: User, year: int, quarter: int) -> list[MunicipalityRow]:
    """The same statuses per municipality, for coordinators (bounded queries: 2)."""
    rows: dict[int, MunicipalityRow] = {}
    for s in school_statuses(user, year, quarter, roles=(Role.COORDINATOR, Role.HEAD, Role.ADMIN)):
        m = s.school.municipality
        row = rows.setdefault(m.pk, MunicipalityRow(m, {k: 0 for k, _l, _c in BOARD_STATUSES}, 0))
        row.counts[s.key] += 1
        row.total += 1
    return sorted(rows.values(), key=lambda r: r.municipality.name)


def roadmap_activity_counts(roadmaps: QuerySet[Roadmap]) -> QuerySet[Roadmap]:
    """These roadmaps, each with its number of activities as `activity_count` (one query)."""
    return roadmaps.annotate(activity_count=Count("activities", distinct=True))
