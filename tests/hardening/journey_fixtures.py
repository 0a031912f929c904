"""Data for the role journeys in tests/hardening/test_journeys.py: one municipality of the current
academic year with two registry schools, a roadmap of the current quarter and the people around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from core.calendar import current_quarter, previous_quarter, quarter_academic_year, quarter_bounds
from core.models import User
from roadmaps.models import QuarterDeadline, QuarterlyReport
from schools.models import Municipality, School
from tests import factories as f


@dataclass(frozen=True)
class District:
    municipality: Municipality
    school: School
    second: School
    academic_year: int
    quarter: tuple[int, int]
    year_start: dt.date

    @property
    def quarter_bounds(self) -> tuple[dt.date, dt.date]:
        return quarter_bounds(*self.quarter)


@pytest.fixture
def district(catalogues, region, municipality) -> District:
    """Two schools in this academic year's registry of `municipality` (ШНОР and ШФНСУ)."""
    return _district(region, municipality, current_quarter())


@pytest.fixture
def ended_district(catalogues, region, municipality) -> District:
    """The same district one quarter back: a period that has ended, as a signed reference needs (its
    signing date may not precede the end of its period). The quarter's deadline is moved past today,
    so that its director may still report."""
    district = _district(region, municipality, previous_quarter(*current_quarter()))
    QuarterDeadline.objects.create(
        region=region, year=district.quarter[0], quarter=district.quarter[1], deadline=timezone.localdate()
    )
    return district


def _district(region, municipality, quarter: tuple[int, int]) -> District:
    year, q = quarter
    academic_year = quarter_academic_year(year, q)
    year_start = dt.date(academic_year, 9, 1)
    region.name = "Белгородская область"
    region.save(update_fields=["name"])
    municipality.name = "Белгородский район"
    municipality.authority = "Управление образования администрации Белгородского района"
    municipality.head_name = "Н.А. Бозина"
    municipality.save(update_fields=["name", "authority", "head_name"])
    school = f.SchoolFactory(municipality=municipality, name="МОУ «Журавлевская СОШ»", teachers_count=17)
    second = f.SchoolFactory(municipality=municipality, name="МОУ «Никольская СОШ»", teachers_count=12)
    f.RegistryEntryFactory(school=school, academic_year=academic_year, included_on=year_start)
    f.RegistryEntryFactory(school=second, academic_year=academic_year, category="shfnsu", included_on=year_start)
    return District(
        municipality=municipality,
        school=school,
        second=second,
        academic_year=academic_year,
        quarter=(year, q),
        year_start=year_start,
    )


@pytest.fixture
def district_director(district) -> User:
    return f.user_with_role("director", school=district.school)


@pytest.fixture
def submitted_report(district, district_director) -> QuarterlyReport:
    """The current quarter's report of the first school, filled (two lines done) and submitted."""
    return _submitted_report(district, district_director)


@pytest.fixture
def ended_submitted_report(ended_district) -> QuarterlyReport:
    """The ended quarter's report of the first school, filled (two lines done) and submitted."""
    return _submitted_report(ended_district, f.user_with_role("director", school=ended_district.school))


def _submitted_report(district: District, district_director: User) -> QuarterlyReport:
    from roadmaps import services
    from tests.roadmaps.conftest import fill_lines

    start, end = district.quarter_bounds
    roadmap = f.RoadmapFactory(school=district.school, academic_year=district.academic_year, status="approved")
    f.ActivityFactory(
        roadmap=roadmap,
        activity_type=f.activity_type("teachers-09"),
        title="Курсы «Школа современного учителя»",
        due_on=end,
    )
    f.ActivityFactory(
        roadmap=roadmap,
        activity_type=f.activity_type("parents-01"),
        title="Родительское собрание по итогам ВПР",
        due_on=end,
    )
    year, q = district.quarter
    report = services.report_create(roadmap=roadmap, year=year, quarter=q, user=district_director)
    fill_lines(report, district_director, finished_on=min(timezone.localdate(), end), started_on=start)
    services.report_submit(report=report, user=district_director, version=report.version)
    report.refresh_from_db()
    return report
