"""A synthetic region for benchmarks, built fast with bulk inserts.

`build(schools=N, activities=A, quarters=Q)` creates region `SYN<N>` with municipalities of about
100 schools, the registry, curators, leader schools and partner pairs, one roadmap per school and
academic year with A activities over the catalogue's activity types, Q quarterly reports per school
(each with one line per activity: N×A×Q lines), indicator values, assessment results, methodical
visits, and users (a director per school, a methodist per municipality, a coordinator and a head of
the region; password `demo`).

The Q quarters end with the current calendar quarter, so the last one is the quarter whose
deadline is coming: its reports are mostly drafts and submissions, the earlier ones mostly approved.
Everything is deterministic for a given (N, A, Q, today's quarter).

Rows are written with bulk_create, so they carry no django-simple-history rows (the coverage
fingerprint counts live rows as well, so it still notices them).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from core.calendar import current_quarter, previous_quarter, quarter_academic_year, quarter_bounds
from core.models import Membership, Role, User
from monitoring.models import AssessmentResult, Indicator, IndicatorValue, MethodicalVisit
from roadmaps.models import (
    Activity,
    ActivityReport,
    ActivityType,
    LineStatus,
    QuarterDeadline,
    QuarterlyReport,
    ReportStatus,
    Roadmap,
    RoadmapStatus,
)
from schools.models import Category, CuratorAssignment, Municipality, PartnerAssignment, Region, RegistryEntry, School

SCHOOLS_PER_MUNICIPALITY = 100
LEADERS_PER_MUNICIPALITY = 3
BATCH = 5000
PASSWORD = "demo"

SURNAMES = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Попова", "Васильев", "Соколова", "Михайлов", "Новикова"]
FIRST = [("Анна", "Сергеевна"), ("Олег", "Петрович"), ("Елена", "Викторовна"), ("Игорь", "Николаевич")]
VILLAGES = ["Журавлевка", "Никольское", "Солохи", "Ясные Зори", "Петровка", "Майский", "Дубовое", "Красный Октябрь"]
SUBJECTS = ["Русский язык", "Математика"]
RESULTS = [
    "Проведено, приняли участие педагоги школы; материалы размещены на сайте ОО.",
    "Проведено в запланированные сроки, составлен протокол.",
    "Выполнено: подготовлен отчёт и методические рекомендации.",
]
REASONS = ["Перенесено из-за карантина.", "Не проведено: болезнь ответственного.", "Ожидается приказ ОУО."]


@dataclass(frozen=True)
class Synthetic:
    """Where a built region is and what it holds."""

    region_code: str
    schools: int
    activities: int
    quarters: tuple[tuple[int, int], ...]

    @property
    def date_from(self) -> dt.date:
        return quarter_bounds(*self.quarters[0])[0]

    @property
    def date_to(self) -> dt.date:
        return quarter_bounds(*self.quarters[-1])[1]

    @property
    def lines(self) -> int:
        return self.schools * self.activities * len(self.quarters)

    @property
    def current_quarter(self) -> tuple[int, int]:
        return self.quarters[-1]


def region_code(schools: int) -> str:
    return f"SYN{schools}"


def school_code(code: str, n: int) -> str:
    return f"{code}-{n:04d}"


def director_username(code: str, n: int) -> str:
    return f"{code.lower()}.dir.{n:04d}"


def methodist_username(code: str, m: int) -> str:
    return f"{code.lower()}.metod.{m:02d}"


def coordinator_username(code: str) -> str:
    return f"{code.lower()}.coord"


def quarters_ending_now(count: int, today: dt.date | None = None) -> tuple[tuple[int, int], ...]:
    """`count` consecutive calendar quarters ending with today's."""
    year, quarter = current_quarter(today)
    result = []
    for _ in range(count):
        result.append((year, quarter))
        year, quarter = previous_quarter(year, quarter)
    return tuple(reversed(result))


def describe(*, schools: int, activities: int, quarters: int) -> Synthetic:
    return Synthetic(region_code(schools), schools, activities, quarters_ending_now(quarters))


def existing(spec: Synthetic) -> bool:
    """True when the region of `spec` is already built completely (same sizes, same quarters)."""
    region = Region.objects.filter(code=spec.region_code).first()
    if region is None:
        return False
    schools = School.objects.filter(municipality__region=region, is_leader=False)
    lines = ActivityReport.objects.filter(report__roadmap__school__municipality__region=region)
    year, quarter = spec.current_quarter
    current = QuarterlyReport.objects.filter(roadmap__school__municipality__region=region, year=year, quarter=quarter)
    first_year, first_quarter = spec.quarters[0]
    first = QuarterlyReport.objects.filter(
        roadmap__school__municipality__region=region, year=first_year, quarter=first_quarter
    )
    return (
        schools.count() == spec.schools
        and lines.count() == spec.lines
        and current.count() == spec.schools
        and first.count() == spec.schools
    )


def delete(code: str) -> None:
    """Remove a synthetic region and everything in it, fast (raw deletes, no per-row signals)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        return
    in_region = {"school__municipality__region": region}
    steps = [
        (ActivityReport, {"report__roadmap__school__municipality__region": region}),
        (QuarterlyReport, {"roadmap__school__municipality__region": region}),
        (Activity, {"roadmap__school__municipality__region": region}),
        (Roadmap, in_region),
        (IndicatorValue, in_region),
        (AssessmentResult, in_region),
        (MethodicalVisit, in_region),
        (PartnerAssignment, in_region),
        (CuratorAssignment, in_region),
        (RegistryEntry, in_region),
        (QuarterDeadline, {"region": region}),
    ]
    with transaction.atomic():
        users = User.objects.filter(username__startswith=f"{code.lower()}.")
        Membership.objects.filter(user__in=users)._raw_delete(connection.alias)
        for model, where in steps:
            qs = model.objects.filter(**where)
            _delete_dependents(qs)
            qs._raw_delete(connection.alias)
        School.objects.filter(municipality__region=region).delete()
        Municipality.objects.filter(region=region).delete()
        _delete_dependents(Region.objects.filter(pk=region.pk))  # references, campaigns, roles
        region.delete()
        users.delete()


def _delete_dependents(qs) -> None:
    """Rows of other tables pointing at `qs` (comments, transitions, evidence, history of objects the
    benchmarks changed): few, so the ordinary ORM delete with its cascades is fine."""
    ids = qs.values("pk")
    for rel in qs.model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": ids}).delete()


def build(*, schools: int, activities: int, quarters: int, seed: int = 7) -> Synthetic:
    """Build (or rebuild) the synthetic region of this size; returns its description."""
    if schools < 1 or activities < 1 or not 1 <= quarters <= 12:
        raise ValueError("Нужно не меньше 1 ОО и 1 мероприятия, кварталов — от 1 до 12.")
    spec = describe(schools=schools, activities=activities, quarters=quarters)
    types = list(
        ActivityType.objects.filter(is_active=True)
        .select_related("direction")
        .order_by("direction__order", "order", "pk")
    )
    indicators = list(Indicator.objects.filter(is_active=True).exclude(kind="average").order_by("order", "pk"))
    if not types:
        raise RuntimeError("Каталог видов мероприятий пуст: выполните migrate.")
    delete(spec.region_code)
    rng = random.Random(f"{seed}:{schools}:{activities}:{spec.quarters}")
    with transaction.atomic():
        _Builder(spec, rng, types, indicators).run()
    analyze()
    return spec


def analyze() -> None:
    """Fresh planner statistics, as a live database has (autovacuum keeps them there): right after
    bulk inserts the planner takes the new tables for empty and picks nested loops that take minutes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Builder:
    def __init__(self, spec: Synthetic, rng: random.Random, types: list[ActivityType], indicators: list[Indicator]):
        self.spec = spec
        self.rng = rng
        self.types = types
        self.indicators = indicators
        self.code = spec.region_code
        self.now = timezone.now()

    def run(self) -> None:
        self.region = Region.objects.create(
            code=self.code,
            name=f"Синтетическая область ({self.spec.schools} ОО)",
            authority="Министерство образования Синтетической области",
            head_name="А.Б. Руководителева",
            head_position="Министр образования",
        )
        self._organisations()
        self._registry()
        self._people()
        self._roadmaps_and_reports()
        self._monitoring()

    # --- organisations ----------------------------------------------------------------------

    def _organisations(self) -> None:
        n = self.spec.schools
        count = max(1, round(n / SCHOOLS_PER_MUNICIPALITY))
        self.municipalities = Municipality.objects.bulk_create(
            [
                Municipality(
                    region=self.region,
                    code=f"{self.code}-M{m:02d}",
                    name=f"Синтетический район № {m}",
                    authority=f"Управление образования администрации района № {m}",
                    head_name="В.Г. Начальникова",
                    head_position="Начальник управления образования",
                )
                for m in range(1, count + 1)
            ]
        )
        rows = []
        for i in range(1, n + 1):
            municipality = self.municipalities[(i - 1) * count // n]
            village = VILLAGES[i % len(VILLAGES)]
            kind = "ООШ" if i % 5 == 0 else "СОШ"
            surname = SURNAMES[i % len(SURNAMES)]
            rows.append(
                School(
                    municipality=municipality,
                    code=school_code(self.code, i),
                    name=f"МОУ «{village} {kind} № {i}»",
                    kind=kind,
                    director_name=f"{surname} А.С.",
                    teachers_count=self.rng.randint(9, 45),
                    pupils_count=self.rng.randint(60, 700),
                )
            )
        for m, municipality in enumerate(self.municipalities, start=1):
            for k in range(1, LEADERS_PER_MUNICIPALITY + 1):
                rows.append(
                    School(
                        municipality=municipality,
                        code=f"{self.code}-L{m:02d}{k}",
                        name=f"МБОУ «Лицей № {m}{k}» (школа-лидер)",
                        kind="лицей",
                        director_name="Лидерова Л.Л.",
                        teachers_count=60,
                        pupils_count=900,
                        is_leader=True,
                    )
                )
        created = School.objects.bulk_create(rows, batch_size=BATCH)
        self.schools = [s for s in created if not s.is_leader]
        self.leaders: dict[int, list[School]] = {}
        for s in created:
            if s.is_leader:
                self.leaders.setdefault(s.municipality_id, []).append(s)

    def _registry(self) -> None:
        years = sorted({quarter_academic_year(y, q) for y, q in self.spec.quarters})
        entries, curators, partners = [], [], []
        for i, school in enumerate(self.schools):
            category = Category.SHFNSU if i % 7 == 0 else Category.SHNOR
            for year in years:
                entries.append(
                    RegistryEntry(
                        school=school,
                        academic_year=year,
                        category=category,
                        basis="Результаты ВПР ниже регионального уровня два года подряд",
                        included_on=dt.date(year, 9, 1),
                    )
                )
            curators.append(
                CuratorAssignment(
                    school=school,
                    full_name=f"{SURNAMES[(i // 10) % len(SURNAMES)]} Куратор {i // 10 + 1}",
                    assigned_on=dt.date(years[0], 9, 1),
                )
            )
            if self.rng.random() < 0.35:
                leader = self.rng.choice(self.leaders[school.municipality_id])
                partners.append(PartnerAssignment(school=school, leader=leader, date_from=dt.date(years[0], 9, 1)))
        RegistryEntry.objects.bulk_create(entries, batch_size=BATCH)
        CuratorAssignment.objects.bulk_create(curators, batch_size=BATCH)
        PartnerAssignment.objects.bulk_create(partners, batch_size=BATCH)
        QuarterDeadline.objects.bulk_create(
            [
                QuarterDeadline(
                    region=self.region, year=y, quarter=q, deadline=quarter_bounds(y, q)[1] + dt.timedelta(days=10)
                )
                for y, q in self.spec.quarters
            ]
        )

    def _people(self) -> None:
        password = make_password(PASSWORD)
        users = [
            User(
                username=director_username(self.code, i),
                password=password,
                last_name=SURNAMES[i % len(SURNAMES)],
                first_name=FIRST[i % len(FIRST)][0],
                middle_name=FIRST[i % len(FIRST)][1],
                position="Директор",
            )
            for i in range(1, len(self.schools) + 1)
        ]
        users += [
            User(
                username=methodist_username(self.code, m),
                password=password,
                last_name="Методистова",
                first_name="Мария",
            )
            for m in range(1, len(self.municipalities) + 1)
        ]
        users.append(User(username=coordinator_username(self.code), password=password, last_name="Координатова"))
        users.append(User(username=f"{self.code.lower()}.head", password=password, last_name="Руководителева"))
        users = User.objects.bulk_create(users, batch_size=BATCH)
        n = len(self.schools)
        memberships = [Membership(user=users[i], role=Role.DIRECTOR, school=s) for i, s in enumerate(self.schools)]
        memberships += [
            Membership(user=users[n + m], role=Role.METHODIST, municipality=mun)
            for m, mun in enumerate(self.municipalities)
        ]
        memberships.append(Membership(user=users[-2], role=Role.COORDINATOR, region=self.region))
        memberships.append(Membership(user=users[-1], role=Role.HEAD, region=self.region))
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        self.methodist = users[n]

    # --- roadmaps and reports ---------------------------------------------------------------

    def _roadmaps_and_reports(self) -> None:
        years = sorted({quarter_academic_year(y, q) for y, q in self.spec.quarters})
        roadmaps = Roadmap.objects.bulk_create(
            [
                Roadmap(
                    school=school,
                    academic_year=year,
                    status=RoadmapStatus.APPROVED,
                    submitted_at=self.now,
                    approved_at=self.now,
                    approved_by=self.methodist,
                )
                for school in self.schools
                for year in years
            ],
            batch_size=BATCH,
        )
        by_key = {(r.school_id, r.academic_year): r for r in roadmaps}

        activities = []
        for roadmap in roadmaps:
            start, end = dt.date(roadmap.academic_year, 9, 1), dt.date(roadmap.academic_year + 1, 6, 30)
            span = (end - start).days
            for k in range(self.spec.activities):
                kind = self.types[(k + roadmap.school_id) % len(self.types)]
                due = start + dt.timedelta(days=span * (k + 1) // self.spec.activities)
                activities.append(
                    Activity(
                        roadmap=roadmap,
                        direction=kind.direction,
                        activity_type=kind,
                        title=f"{kind.name[:1].upper()}{kind.name[1:]} (мероприятие {k + 1})",
                        form="Семинар" if k % 3 == 0 else "Заседание",
                        due_on=due,
                        responsible="Заместитель директора по УВР",
                        expected_result="Повышение квалификации педагогов, протокол",
                        order=k,
                    )
                )
        activities = Activity.objects.bulk_create(activities, batch_size=BATCH)
        by_roadmap: dict[int, list[Activity]] = {}
        for a in activities:
            by_roadmap.setdefault(a.roadmap_id, []).append(a)

        current = self.spec.current_quarter
        reports = []
        for school in self.schools:
            for y, q in self.spec.quarters:
                status = self._report_status(current=(y, q) == current)
                done_at = self.now if status != ReportStatus.DRAFT else None
                reports.append(
                    QuarterlyReport(
                        roadmap=by_key[(school.id, quarter_academic_year(y, q))],
                        year=y,
                        quarter=q,
                        status=status,
                        submitted_at=done_at,
                        approved_at=self.now if status == ReportStatus.APPROVED else None,
                        approved_by=self.methodist if status == ReportStatus.APPROVED else None,
                        last_edited_at=self.now,
                    )
                )
        reports = QuarterlyReport.objects.bulk_create(reports, batch_size=BATCH)

        lines: list[ActivityReport] = []
        for report in reports:
            _, end = quarter_bounds(report.year, report.quarter)
            filled = report.status != ReportStatus.DRAFT
            for activity in by_roadmap[report.roadmap_id]:
                lines.append(self._line(report, activity, end, filled))
                if len(lines) >= BATCH:
                    ActivityReport.objects.bulk_create(lines)
                    lines = []
        ActivityReport.objects.bulk_create(lines)

    def _report_status(self, *, current: bool) -> str:
        r = self.rng.random()
        if current:  # the deadline quarter: most schools are still filling in
            table = [(0.45, ReportStatus.DRAFT), (0.80, ReportStatus.SUBMITTED), (0.88, ReportStatus.RETURNED)]
        else:
            table = [(0.03, ReportStatus.DRAFT), (0.07, ReportStatus.SUBMITTED), (0.10, ReportStatus.RETURNED)]
        for bound, status in table:
            if r < bound:
                return status
        return ReportStatus.APPROVED

    def _line(self, report: QuarterlyReport, activity: Activity, end: dt.date, filled: bool) -> ActivityReport:
        r = self.rng.random()
        if not filled and r < 0.4:
            return ActivityReport(report=report, activity=activity)
        if r < 0.62:
            day = end - dt.timedelta(days=self.rng.randint(5, 80))
            return ActivityReport(
                report=report,
                activity=activity,
                status=LineStatus.DONE,
                started_on=day,
                finished_on=day,
                result=self.rng.choice(RESULTS),
                participants=self.rng.randint(3, 40),
            )
        if r < 0.82:
            return ActivityReport(report=report, activity=activity, status=LineStatus.IN_PROGRESS, result="В работе")
        status = LineStatus.NOT_DONE if r < 0.91 else LineStatus.POSTPONED
        return ActivityReport(report=report, activity=activity, status=status, reason=self.rng.choice(REASONS))

    # --- monitoring -------------------------------------------------------------------------

    def _monitoring(self) -> None:
        date_from, date_to = self.spec.date_from, self.spec.date_to
        values, results, visits = [], [], []
        for school in self.schools:
            for ind in self.indicators:
                if ind.kind == "ratio":
                    denominator = school.teachers_count if ind.denominator_default != "pupils" else school.pupils_count
                    value = Decimal(self.rng.randint(0, denominator))
                else:
                    denominator = None
                    value = Decimal(self.rng.randint(0, 12))
                values.append(
                    IndicatorValue(
                        school=school,
                        indicator=ind,
                        period_from=date_from,
                        period_to=date_to,
                        value=value,
                        denominator=denominator,
                    )
                )
            for year in range(date_to.year - 2, date_to.year + 1):
                for procedure, low, high in (("vpr", 280, 420), ("oge", 270, 400)):
                    for subject in SUBJECTS:
                        results.append(
                            AssessmentResult(
                                school=school,
                                year=year,
                                procedure=procedure,
                                subject=subject,
                                average=Decimal(self.rng.randint(low, high)) / 100,
                            )
                        )
            if self.rng.random() < 0.45:
                span = (date_to - date_from).days
                for _ in range(self.rng.randint(1, 3)):
                    visits.append(
                        MethodicalVisit(
                            school=school,
                            date=date_from + dt.timedelta(days=self.rng.randint(0, span)),
                            visitors="Методист ММЦ; куратор",
                            purpose="Адресная методическая помощь по итогам ВПР",
                            outcome="Даны рекомендации по внутришкольной системе повышения квалификации",
                        )
                    )
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
        AssessmentResult.objects.bulk_create(results, batch_size=BATCH)
        MethodicalVisit.objects.bulk_create(visits, batch_size=BATCH)
