"""«On any day of the period» (docs/contracts.md, coverage rules), end to end: a school included in the
registry in the middle of the period is in scope, a partner assigned in the middle of it counts, and
the workbook's registry sheet names a curator assigned in the middle of the academic year (issue 11:
every other fixture starts these on or before the period's first day)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from core.exports import template_render
from coverage.selectors import coverage_compute
from monitoring.selectors import Scope
from schools.models import Municipality, School
from tests import factories as f

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2021, 1, 1), dt.date(2021, 6, 30)


@pytest.fixture
def schools(municipality):
    leader = f.SchoolFactory(municipality=municipality, name="Лидер", is_leader=True)
    mid = f.SchoolFactory(municipality=municipality, name="А включена в марте")
    late = f.SchoolFactory(municipality=municipality, name="Б включена после периода")
    early = f.SchoolFactory(municipality=municipality, name="В исключена до периода")
    f.RegistryEntryFactory(school=mid, academic_year=2020, included_on=dt.date(2021, 3, 15))
    f.RegistryEntryFactory(school=late, academic_year=2020, included_on=dt.date(2021, 7, 1))
    f.RegistryEntryFactory(
        school=early,
        academic_year=2020,
        included_on=dt.date(2020, 9, 1),
        excluded_on=dt.date(2020, 12, 31),
        exclusion_reason="Рост результатов",
    )
    f.PartnerAssignmentFactory(school=mid, leader=leader, date_from=dt.date(2021, 5, 20))
    return {"leader": leader, "mid": mid, "late": late, "early": early}


def test_school_included_mid_period_is_in_scope(schools, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    assert [s["name"] for s in data["schools"]] == ["А включена в марте"]
    assert data["total"] == 1


def test_school_included_on_the_last_day_is_in_scope(schools, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=dt.date(2021, 3, 15))
    assert [s["name"] for s in data["schools"]] == ["А включена в марте"]


def test_partner_assigned_mid_period_counts_as_network(schools, municipality):
    data = coverage_compute(scope=Scope("municipality", municipality.code), date_from=D1, date_to=D2)
    network = next(i for i in data["indicators"] if i["code"] == "network")
    assert network["school_ids"] == [schools["mid"].pk]


def test_registry_sheet_names_a_curator_assigned_mid_year(municipality):
    school = f.SchoolFactory(municipality=municipality, code="MID1")
    f.RegistryEntryFactory(school=school, academic_year=2020, included_on=dt.date(2020, 9, 1))
    f.CuratorAssignmentFactory(  # ended before the academic year: not this year's curator
        school=school, full_name="Прежний Куратор", assigned_on=dt.date(2019, 9, 1), unassigned_on=dt.date(2020, 8, 31)
    )
    f.CuratorAssignmentFactory(school=school, full_name="Новый Куратор", assigned_on=dt.date(2021, 2, 1))
    content = template_render(
        schools=School.objects.filter(pk=school.pk), municipalities=Municipality.objects.filter(pk=municipality.pk)
    )

    sheet = load_workbook(io.BytesIO(content))["Реестр"]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "MID1"]
    assert row[header.index("Куратор")] == "Новый Куратор"
