"""The schools services check their actor's right themselves (views, commands and tasks call them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from schools import services
from schools.models import Category, CuratorAssignment, LowResultCause, PartnerAssignment, RegistryEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


def _entry_data(**kw):
    return {
        "academic_year": 2020,
        "category": Category.SHNOR,
        "basis": "Результаты ВПР",
        "included_on": dt.date(2020, 9, 1),
        **kw,
    }


@pytest.fixture(params=["outsider_methodist", "director", "head", "curator"])
def refused(request):
    """A methodist of another municipality, and roles that see the school but may not edit it."""
    return request.getfixturevalue(request.param)


def test_registry_and_exclusion_refused(refused, school):
    with pytest.raises(PermissionDenied):
        services.registry_entry_save(user=refused, school=school, data=_entry_data())
    f.RegistryEntryFactory(school=school)
    with pytest.raises(PermissionDenied):
        services.school_exclude(user=refused, school=school, excluded_on=dt.date(2021, 1, 10), reason="Рост")
    assert RegistryEntry.objects.get(school=school).excluded_on is None


def test_curators_partners_risks_and_causes_refused(refused, school):
    with pytest.raises(PermissionDenied):
        services.curator_assign(user=refused, school=school, full_name="Иванова И.И.", assigned_on=dt.date(2021, 1, 1))
    assignment = f.CuratorAssignmentFactory(school=school)
    with pytest.raises(PermissionDenied):
        services.curator_unassign(user=refused, assignment=assignment, unassigned_on=dt.date(2021, 6, 1))
    leader = f.SchoolFactory(municipality=school.municipality, is_leader=True)
    with pytest.raises(PermissionDenied):
        services.partner_assign(user=refused, school=school, leader=leader, date_from=dt.date(2021, 1, 1))
    partner = f.PartnerAssignmentFactory(school=school, leader=leader)
    with pytest.raises(PermissionDenied):
        services.partner_end(user=refused, assignment=partner, date_to=dt.date(2021, 6, 1))
    with pytest.raises(PermissionDenied):
        services.risk_profile_save(user=refused, school=school, year=2021, levels={})
    with pytest.raises(PermissionDenied):
        services.cause_create(user=refused, school=school, year=2021, description="Низкая мотивация")
    cause = LowResultCause.objects.create(school=school, year=2021, description="Низкая мотивация")
    with pytest.raises(PermissionDenied):
        services.cause_update(user=refused, cause=cause, year=2021, description="Другое")
    with pytest.raises(PermissionDenied):
        services.cause_delete(user=refused, cause=cause)
    assert not CuratorAssignment.objects.filter(school=school, full_name="Иванова И.И.").exists()
    assert CuratorAssignment.objects.get(pk=assignment.pk).unassigned_on is None
    assert PartnerAssignment.objects.get(school=school).date_to is None
    assert LowResultCause.objects.get(pk=cause.pk).description == "Низкая мотивация"


@pytest.mark.parametrize("role", ["methodist", "coordinator", "admin_user"])
def test_editors_and_the_system_may(role, request, school):
    user = request.getfixturevalue(role)
    services.cause_create(user=user, school=school, year=2021, description="Низкая мотивация")
    services.cause_create(user=None, school=school, year=2020, description="Нет педагогов")
    assert LowResultCause.objects.filter(school=school).count() == 2
