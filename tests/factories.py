"""factory_boy factories for every model the apps share."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from factory.django import DjangoModelFactory

from core.models import Membership, User
from monitoring.models import AssessmentResult, Indicator, IndicatorValue, MethodicalVisit
from reports.models import JobStatus, ReferenceVersion, RenderJob
from roadmaps.models import (
    Activity,
    ActivityReport,
    ActivityType,
    Direction,
    QuarterlyReport,
    Roadmap,
)
from schools.models import (
    Category,
    CuratorAssignment,
    Municipality,
    PartnerAssignment,
    Region,
    RegistryEntry,
    School,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Иван"
    middle_name = "Иванович"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("demo")


def user_with_role(role: str, **scope) -> User:
    """A new user holding `role` within `scope` (school=…, municipality=… or region=…)."""
    user = UserFactory()
    Membership.objects.create(user=user, role=role, **scope)
    return user


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Область {n}")
    authority = factory.LazyAttribute(lambda o: f"Министерство образования ({o.name})")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"M{n:03d}")
    name = factory.Sequence(lambda n: f"Район {n}")
    authority = factory.LazyAttribute(lambda o: f"Управление образования ({o.name})")
    head_name = "Н.А. Бозина"
    head_position = "Начальник управления образования"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"МОУ «Школа № {n}»")
    kind = "СОШ"
    director_name = "Петров П.П."
    teachers_count = 17
    pupils_count = 200


class RegistryEntryFactory(DjangoModelFactory):
    class Meta:
        model = RegistryEntry

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2020
    category = Category.SHNOR
    basis = "Результаты ВПР ниже регионального уровня"
    included_on = dt.date(2020, 9, 1)


class CuratorAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = CuratorAssignment

    school = factory.SubFactory(SchoolFactory)
    full_name = "Куратор Кураторов Кураторович"
    assigned_on = dt.date(2020, 9, 1)


class PartnerAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = PartnerAssignment

    school = factory.SubFactory(SchoolFactory)
    leader = factory.SubFactory(SchoolFactory, is_leader=True)
    date_from = dt.date(2020, 9, 1)


class RoadmapFactory(DjangoModelFactory):
    class Meta:
        model = Roadmap

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2020


def direction(code: str = "teachers") -> Direction:
    return Direction.objects.get(code=code)


def activity_type(name_or_code: str) -> ActivityType:
    return ActivityType.objects.filter(code=name_or_code).first() or ActivityType.objects.get(name=name_or_code)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    roadmap = factory.SubFactory(RoadmapFactory)
    activity_type = factory.LazyFunction(lambda: ActivityType.objects.get(code="teachers-09"))
    direction = factory.LazyAttribute(lambda o: o.activity_type.direction if o.activity_type else direction())
    title = factory.LazyAttribute(lambda o: o.activity_type.name.capitalize() if o.activity_type else "Мероприятие")
    due_on = dt.date(2021, 3, 31)
    responsible = "Заместитель директора по УВР"


class QuarterlyReportFactory(DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    roadmap = factory.SubFactory(RoadmapFactory)
    year = 2021
    quarter = 1


class ActivityReportFactory(DjangoModelFactory):
    class Meta:
        model = ActivityReport

    report = factory.SubFactory(QuarterlyReportFactory)
    activity = factory.SubFactory(ActivityFactory, roadmap=factory.SelfAttribute("..report.roadmap"))
    status = "done"
    result = "Проведено"


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    school = factory.SubFactory(SchoolFactory)
    indicator = factory.LazyFunction(lambda: Indicator.objects.get(code="contest_participants"))
    period_from = dt.date(2020, 9, 1)
    period_to = dt.date(2021, 6, 30)
    value = 1


class MethodicalVisitFactory(DjangoModelFactory):
    class Meta:
        model = MethodicalVisit

    school = factory.SubFactory(SchoolFactory)
    date = dt.date(2021, 3, 10)
    visitors = "Методист ММЦ"
    purpose = "Адресная методическая помощь"


class AssessmentResultFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentResult

    school = factory.SubFactory(SchoolFactory)
    year = 2021
    procedure = "vpr"
    subject = "Русский язык"
    average = "3.50"


def reference(*, municipality, created_by, **fields):
    """A roadmap-monitoring reference of a municipality for 2020/21 (override any field by name)."""
    from reports.models import AnalyticalReference

    return AnalyticalReference.objects.create(
        **{
            "template": "roadmap-monitoring",
            "scope_kind": "municipality",
            "region": municipality.region,
            "municipality": municipality,
            "date_from": dt.date(2020, 9, 1),
            "date_to": dt.date(2021, 6, 30),
            "title": "Аналитическая справка",
            "created_by": created_by,
            **fields,
        }
    )


class ReferenceVersionFactory(DjangoModelFactory):
    """A rendered version of `reference` (pass it), made its current version, with a finished render
    job; `job__status=…`, `job__progress_done=…`, `job__message=…` describe another job."""

    class Meta:
        model = ReferenceVersion
        skip_postgeneration_save = True

    number = 1
    code = factory.Sequence(lambda n: f"TEST-{n // 10000 % 10000:04d}-{n % 10000:04d}")  # a verification code
    snapshot = factory.LazyFunction(dict)
    narrative = factory.LazyFunction(dict)
    input_hash = "0" * 64
    # What the version documents, frozen from the reference as `reference_generate` does.
    template = factory.LazyAttribute(lambda o: o.reference.template)
    title = factory.LazyAttribute(lambda o: o.reference.title)
    scope_code = factory.LazyAttribute(lambda o: o.reference.scope_code)
    authority = factory.LazyAttribute(
        lambda o: (
            (o.reference.municipality or o.reference.region).authority
            or (o.reference.municipality or o.reference.region).name
        )
    )
    date_from = factory.LazyAttribute(lambda o: o.reference.date_from)
    date_to = factory.LazyAttribute(lambda o: o.reference.date_to)
    pdf = b"%PDF-1.4\n%%EOF\n"
    pdf_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.pdf).hexdigest())
    xlsx = b"PK\x03\x04"
    created_by = factory.LazyAttribute(lambda o: o.reference.created_by)

    @factory.post_generation
    def job(obj, create, extracted, **fields):  # noqa: N805 - factory_boy passes the built object
        if not create:
            return
        RenderJob.objects.create(
            version=obj, **{"status": JobStatus.DONE, "progress_done": 3, "progress_total": 3, **fields}
        )
        obj.reference.current_version = obj
        obj.reference.save(update_fields=["current_version"])
