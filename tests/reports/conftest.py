"""A hand-built scope with the coverage rules' edge cases, and the users around it.

Period 01.09.2020–30.06.2021: quarters inside are 2020-Q4, 2021-Q1 and 2021-Q2.
- Альфа: visits 01.12.2020 and 08.06.2021, a leader partner, done lines (курсы ПК, мастер-классы) in an
  approved 2021-Q1 report; teachers trained 11/17, ИОТ 5 of 17 teachers; ВПР русский 3,58 → 3,33.
- Бета (8 teachers): no visit, a partner whose assignment ended before the period, a done line only
  in a submitted (not approved) report; teachers trained 3 with no denominator (→ 3/8).
- Вега: excluded from the registry on 15.03.2021 (still in scope), a visit 10.03.2021, done курсы ПК in
  an approved 2021-Q2 report and a done line in 2021-Q3 (outside the period).
- Not in scope: a leader school without a registry entry, a school excluded before the period, a
  school of another municipality.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories as f

PERIOD = (dt.date(2020, 9, 1), dt.date(2021, 6, 30))


@pytest.fixture
def scenario(municipality, region):
    def school(name, teachers, **kw):
        return f.SchoolFactory(municipality=municipality, name=name, teachers_count=teachers, **kw)

    alfa = school("МОУ «Альфа СОШ»", 17, director_name="Самойлова О.В.")
    beta = school("МОУ «Бета ООШ»", 8, director_name="Бударов А.В.")
    vega = school("МОУ «Вега СОШ»", 20, director_name="Козлова Л.А.")
    leader = school("МОУ «Лидер лицей»", 50, is_leader=True)
    gone = school("МОУ «Прежняя СОШ»", 10)
    f.SchoolFactory(name="МОУ «Чужая СОШ»")  # another municipality and region

    for s in (alfa, beta):
        f.RegistryEntryFactory(school=s, academic_year=2020, included_on=dt.date(2020, 9, 1))
    f.RegistryEntryFactory(
        school=vega,
        academic_year=2020,
        category="shfnsu",
        included_on=dt.date(2020, 9, 1),
        excluded_on=dt.date(2021, 3, 15),
        exclusion_reason="Стабильные результаты ВПР и ОГЭ в течение трёх лет.",
    )
    f.RegistryEntryFactory(
        school=gone,
        academic_year=2019,
        included_on=dt.date(2019, 9, 1),
        excluded_on=dt.date(2020, 6, 1),
        exclusion_reason="Исключена по итогам 2019/2020 учебного года.",
    )

    f.MethodicalVisitFactory(school=alfa, date=dt.date(2020, 12, 1))
    f.MethodicalVisitFactory(school=alfa, date=dt.date(2021, 6, 8))
    f.MethodicalVisitFactory(school=vega, date=dt.date(2021, 3, 10))
    f.MethodicalVisitFactory(school=beta, date=dt.date(2021, 7, 2))  # after the period

    f.PartnerAssignmentFactory(school=alfa, leader=leader, date_from=dt.date(2020, 10, 1))
    f.PartnerAssignmentFactory(school=beta, leader=leader, date_from=dt.date(2019, 9, 1), date_to=dt.date(2020, 8, 31))

    def done(s, year, quarter, type_code, status="approved", title=None):
        roadmap = f.RoadmapFactory(school=s, academic_year=2020) if not s.roadmaps.exists() else s.roadmaps.first()
        report, _ = roadmap.reports.get_or_create(year=year, quarter=quarter, defaults={"status": status})
        activity = f.ActivityFactory(
            roadmap=roadmap,
            activity_type=f.activity_type(type_code),
            title=title or f.activity_type(type_code).name.capitalize(),
        )
        return f.ActivityReportFactory(
            report=report,
            activity=activity,
            status="done",
            result="Проведено, протокол",
            started_on=dt.date(year, 3 * quarter - 1, 10),
            finished_on=dt.date(year, 3 * quarter - 1, 12),
        )

    done(alfa, 2021, 1, "teachers-09", title="Курсы «Школа современного учителя»")
    done(alfa, 2021, 1, "teachers-05", title="Мастер-класс по математике")
    done(beta, 2021, 1, "teachers-09", status="submitted")
    done(vega, 2021, 2, "teachers-09", title="Курсы ПК по ФГОС")
    done(vega, 2021, 3, "teachers-05")

    def value(s, code, v, denominator=None):
        f.IndicatorValueFactory(
            school=s,
            indicator=f.indicator(code),
            value=Decimal(v),
            denominator=denominator,
            period_from=PERIOD[0],
            period_to=PERIOD[1],
        )

    value(alfa, "teachers_trained", 11, 17)
    value(alfa, "teachers_iot", 5)
    value(alfa, "contest_participants", 2)
    value(alfa, "contest_winners", 1)
    value(alfa, "contest_winners_regional", 1)
    value(alfa, "contest_winners_municipal", 0)
    value(alfa, "experience_bank", 0)
    value(alfa, "methodical_association_participants", 9)
    value(alfa, "experience_sharing_teachers", 3)
    value(beta, "teachers_trained", 3)
    value(beta, "contest_participants", 7)

    f.AssessmentResultFactory(school=alfa, year=2020, procedure="vpr", subject="Русский язык", average="3.58")
    f.AssessmentResultFactory(school=alfa, year=2021, procedure="vpr", subject="Русский язык", average="3.33")
    f.AssessmentResultFactory(school=alfa, year=2020, procedure="vpr", subject="Математика", average="3.40")
    f.AssessmentResultFactory(school=alfa, year=2021, procedure="vpr", subject="Математика", average="3.66")
    f.AssessmentResultFactory(school=vega, year=2021, procedure="oge", subject="Русский язык", average="3.20")

    return {"alfa": alfa, "beta": beta, "vega": vega, "leader": leader, "municipality": municipality, "region": region}


@pytest.fixture
def make_reference(scenario, methodist):
    from reports import services

    def make(template="methodical-help", user=None, **kw):
        return services.reference_create(
            user=user or methodist,
            template=template,
            scope_kind=kw.pop("scope_kind", "municipality"),
            scope_code=kw.pop("scope_code", scenario["municipality"].code),
            date_from=PERIOD[0],
            date_to=PERIOD[1],
            **kw,
        )

    return make


def pdf_text(data: bytes) -> str:
    """Text of a PDF through poppler's pdftotext (what a reader sees), without whitespace and hyphens,
    so that line and page breaks do not matter; compare with `squash(expected)`."""
    import shutil
    import subprocess

    from tests.conftest import require_service

    require_service("poppler-utils (pdftotext)", shutil.which("pdftotext") is not None)
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return squash(out.stdout.decode("utf-8"))


def squash(text: str) -> str:
    import re

    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


@pytest.fixture(autouse=True)
def _local_cache(settings):
    """The verification page counts uploads per address in the cache: with REDIS_URL that counter
    would outlive the test, so these tests use a private in-process cache."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reports"}}
    cache.clear()
    yield
    cache.clear()
