"""The scope module: every function, for a user in scope, an outsider, a wrong role, an inactive
curator and a user holding several roles; and the rule that querysets and per-object checks agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from core import scope
from core.models import Membership, Role
from schools.models import CuratorAssignment, Municipality, Region, RegistryEntry, School
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def _fresh(user):
    """The same account without the per-object caches (a new request)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def neighbour(municipality):
    """Another school of the same municipality."""
    return f.SchoolFactory(municipality=municipality)


@pytest.fixture
def far_school(region):
    """A school of another municipality of the same region."""
    return f.SchoolFactory(municipality=f.MunicipalityFactory(region=region))


@pytest.fixture
def regional_head(region):
    return f.user_with_role("head", region=region)


@pytest.fixture
def superuser(db):
    return f.UserFactory(is_superuser=True, is_staff=True)


# --- memberships and roles ------------------------------------------------------------------------


def test_memberships_are_read_once_per_user_object(director, school, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = scope.memberships(director)
        assert scope.roles_of(director) == {Role.DIRECTOR}
        assert scope.has_role(director, Role.DIRECTOR)
    with django_assert_num_queries(0):
        assert scope.memberships(director) is first
        assert first[0].school == school  # loaded with the membership


def test_roles_of_a_user_with_several_roles(school, municipality):
    user = f.user_with_role("director", school=school)
    Membership.objects.create(user=user, role=Role.METHODIST, municipality=municipality)
    user = _fresh(user)
    assert scope.roles_of(user) == {Role.DIRECTOR, Role.METHODIST}
    assert scope.has_role(user, Role.METHODIST, Role.COORDINATOR)
    assert not scope.has_role(user, Role.HEAD, Role.COORDINATOR)
    assert not scope.is_admin(user)


def test_superuser_holds_the_admin_role(superuser, admin_user):
    assert scope.roles_of(superuser) == {Role.ADMIN}
    assert scope.is_admin(superuser) and scope.is_admin(admin_user)


def test_anonymous_and_system_hold_nothing():
    for nobody in (AnonymousUser(), scope.SYSTEM):
        assert scope.memberships(nobody) == []
        assert scope.roles_of(nobody) == set()
        assert not scope.has_role(nobody, *Role.values)
        assert not scope.is_admin(nobody)


# --- schools: querysets and per-object checks -------------------------------------------------------


def _visible(user, **kw) -> set[int]:
    return set(scope.schools_for(user, **kw).values_list("pk", flat=True))


def test_director_sees_only_their_school(director, school, neighbour, other_school):
    assert _visible(director) == {school.pk}
    assert scope.covers_school(director, school)
    assert not scope.covers_school(director, neighbour)
    assert not scope.covers_school(director, other_school)


def test_methodist_and_municipal_head_see_their_municipality(
    methodist, head, school, neighbour, far_school, other_school
):
    for user in (methodist, head):
        assert _visible(user) == {school.pk, neighbour.pk}
        assert scope.covers_school(user, neighbour)
        assert not scope.covers_school(user, far_school)
        assert not scope.covers_school(user, other_school)


def test_coordinator_and_regional_head_see_their_region(
    coordinator, regional_head, school, neighbour, far_school, other_school
):
    for user in (coordinator, regional_head):
        assert _visible(user) == {school.pk, neighbour.pk, far_school.pk}
        assert scope.covers_school(user, far_school)
        assert not scope.covers_school(user, other_school)


def test_admin_sees_every_school_only_when_admin_is_listed(admin_user, superuser, school, other_school):
    for user in (admin_user, superuser):
        assert _visible(user) == {school.pk, other_school.pk}
        assert scope.covers_school(user, other_school, roles=(Role.DIRECTOR, Role.ADMIN))
        assert _visible(user, roles=(Role.DIRECTOR,)) == set()
        assert not scope.covers_school(user, other_school, roles=(Role.DIRECTOR,))


def test_wrong_role_sees_nothing_through_the_listed_roles(director, methodist, school):
    assert _visible(director, roles=(Role.METHODIST,)) == set()
    assert not scope.covers_school(director, school, roles=(Role.METHODIST, Role.ADMIN))
    assert not scope.covers_school(methodist, school, roles=(Role.DIRECTOR, Role.CURATOR))
    assert scope.covers_school(methodist, school, roles=(Role.METHODIST,))


def test_curator_sees_schools_assigned_today_only(school, neighbour, other_school):
    curator = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=school, user=curator, assigned_on=TODAY - 10 * DAY)
    f.CuratorAssignmentFactory(  # ended yesterday: inactive
        school=neighbour, user=curator, assigned_on=TODAY - 100 * DAY, unassigned_on=TODAY - DAY
    )
    f.CuratorAssignmentFactory(school=other_school, user=curator, assigned_on=TODAY + DAY)  # not yet
    assert _visible(curator) == {school.pk}
    assert scope.covers_school(curator, school)
    assert not scope.covers_school(curator, neighbour)
    assert not scope.covers_school(curator, other_school)
    assert scope.curates(curator, school) and not scope.curates(curator, neighbour)


def test_curator_assignment_ending_today_still_counts(school):
    curator = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=school, user=curator, assigned_on=TODAY - 10 * DAY, unassigned_on=TODAY)
    assert _visible(curator) == {school.pk}
    assert scope.covers_school(curator, school)


def test_curator_role_without_assignment_and_assignment_without_role(school, neighbour):
    role_only = f.user_with_role("curator")
    assert _visible(role_only) == set()
    assert not scope.covers_school(role_only, school)
    assignment_only = f.UserFactory()
    f.CuratorAssignmentFactory(school=neighbour, user=assignment_only)
    assert _visible(assignment_only) == set()
    assert not scope.covers_school(assignment_only, neighbour)


def test_curator_with_two_assignments_to_one_school_sees_it_once(school):
    curator = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=school, user=curator, assigned_on=TODAY - 10 * DAY)
    f.CuratorAssignmentFactory(school=school, user=curator, assigned_on=TODAY - 5 * DAY, full_name="Другое ФИО")
    assert list(scope.schools_for(curator).values_list("pk", flat=True)) == [school.pk]
    assert scope.school_or_404(curator, school.pk) == school


def test_several_roles_add_up(school, neighbour, far_school, other_school, municipality):
    user = f.user_with_role("director", school=other_school)
    Membership.objects.create(user=user, role=Role.METHODIST, municipality=municipality)
    Membership.objects.create(user=user, role=Role.CURATOR)
    f.CuratorAssignmentFactory(school=far_school, user=user, assigned_on=TODAY - DAY)
    user = _fresh(user)
    assert _visible(user) == {school.pk, neighbour.pk, far_school.pk, other_school.pk}
    assert _visible(user, roles=(Role.DIRECTOR,)) == {other_school.pk}
    assert _visible(user, roles=(Role.DIRECTOR, Role.CURATOR)) == {other_school.pk, far_school.pk}
    assert scope.covers_school(user, far_school, roles=(Role.CURATOR,))
    assert not scope.covers_school(user, far_school, roles=(Role.METHODIST,))
    assert not scope.covers_school(user, school, roles=(Role.DIRECTOR,))


def test_per_object_checks_agree_with_the_querysets(
    director,
    methodist,
    head,
    coordinator,
    regional_head,
    curator,
    admin_user,
    superuser,
    school,
    neighbour,
    far_school,
    other_school,
):
    users = [director, methodist, head, coordinator, regional_head, curator, admin_user, superuser, AnonymousUser()]
    schools = list(School.objects.select_related("municipality"))
    municipalities = list(Municipality.objects.all())
    regions = list(Region.objects.all())
    role_sets = [None, (Role.DIRECTOR,), (Role.CURATOR, Role.ADMIN), (Role.METHODIST, Role.COORDINATOR), (Role.HEAD,)]
    for user in users:
        for roles in role_sets:
            seen = _visible(user, roles=roles)
            assert {s.pk for s in schools if scope.covers_school(user, s, roles=roles)} == seen, (user, roles)
            seen = set(scope.municipalities_for(user, roles=roles).values_list("pk", flat=True))
            assert {m.pk for m in municipalities if scope.covers_municipality(user, m, roles=roles)} == seen
            seen = set(scope.regions_for(user, roles=roles).values_list("pk", flat=True))
            assert {r.pk for r in regions if scope.covers_region(user, r, roles=roles)} == seen


def test_school_checks_cost_no_query_except_a_curators_first(
    methodist, coordinator, curator, school, django_assert_num_queries
):
    school = School.objects.select_related("municipality").get(pk=school.pk)
    for user in (methodist, coordinator, curator):
        scope.memberships(user)
    with django_assert_num_queries(0):
        assert scope.covers_school(methodist, school)
        assert scope.covers_school(coordinator, school)
    with django_assert_num_queries(1):
        assert scope.covers_school(curator, school)
        assert scope.covers_school(curator, school, roles=(Role.CURATOR,))


# --- municipalities and regions -----------------------------------------------------------------------


def test_municipalities_and_regions_are_seen_whole_only(
    director,
    curator,
    methodist,
    head,
    coordinator,
    regional_head,
    admin_user,
    municipality,
    region,
    far_school,
    other_school,
):
    far = far_school.municipality
    for user in (director, curator):
        assert not scope.municipalities_for(user).exists()
        assert not scope.regions_for(user).exists()
        assert not scope.covers_municipality(user, municipality)
    for user in (methodist, head):
        assert list(scope.municipalities_for(user)) == [municipality]
        assert not scope.covers_municipality(user, far)
        assert not scope.regions_for(user).exists()
        assert not scope.covers_region(user, region)
    for user in (coordinator, regional_head):
        assert set(scope.municipalities_for(user)) == {municipality, far}
        assert not scope.covers_municipality(user, other_school.municipality)
        assert list(scope.regions_for(user)) == [region]
        assert scope.covers_region(user, region)
        assert not scope.covers_region(user, other_school.municipality.region)
    assert scope.municipalities_for(admin_user).count() == Municipality.objects.count()
    assert scope.covers_region(admin_user, other_school.municipality.region)
    assert not scope.covers_region(admin_user, region, roles=(Role.COORDINATOR,))


def test_covers_area_for_objects_holding_a_municipality_and_a_region(methodist, coordinator, municipality, region):
    municipal = {"municipality_id": municipality.pk, "region_id": region.pk}
    regional = {"municipality_id": None, "region_id": region.pk}
    assert scope.covers_area(methodist, **municipal)
    assert not scope.covers_area(methodist, **regional)
    assert scope.covers_area(coordinator, **municipal) and scope.covers_area(coordinator, **regional)
    assert not scope.covers_area(coordinator, **municipal, roles=(Role.METHODIST,))
    other = f.RegionFactory()
    assert not scope.covers_area(coordinator, municipality_id=None, region_id=other.pk)


# --- scope_q and school_q ------------------------------------------------------------------------------


def test_school_q_filters_a_model_by_its_path_to_the_school(director, methodist, curator, school, other_school):
    mine = f.RegistryEntryFactory(school=school)
    f.RegistryEntryFactory(school=other_school)
    for user in (director, methodist, curator):
        entries = RegistryEntry.objects.filter(scope.school_q(user, path="school")).distinct()
        assert list(entries) == [mine]
    assert not RegistryEntry.objects.filter(scope.school_q(director, roles=(Role.METHODIST,), path="school")).exists()


def test_scope_q_on_the_municipality_and_region_levels(methodist, coordinator, director, municipality, region):
    q = {"municipality": "", "region": "region"}
    assert list(Municipality.objects.filter(scope.scope_q(methodist, **q))) == [municipality]
    assert list(Municipality.objects.filter(scope.scope_q(coordinator, **q))) == [municipality]
    assert not Municipality.objects.filter(scope.scope_q(director, **q)).exists()
    assert list(Region.objects.filter(scope.scope_q(coordinator, region=""))) == [region]
    assert not Region.objects.filter(scope.scope_q(methodist, region="")).exists()


# --- active curators ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned_on", "unassigned_on", "active"),
    [
        (dt.date(2021, 1, 1), None, True),  # before the period, still open
        (dt.date(2021, 3, 15), None, True),  # assigned in the middle of the period
        (dt.date(2021, 6, 30), None, True),  # on the last day
        (dt.date(2020, 9, 1), dt.date(2021, 1, 1), True),  # ended on the first day
        (dt.date(2021, 2, 1), dt.date(2021, 2, 28), True),  # inside the period
        (dt.date(2020, 9, 1), dt.date(2020, 12, 31), False),  # ended before the period
        (dt.date(2021, 7, 1), None, False),  # assigned after the period
    ],
)
def test_curator_active_on_any_day_of_the_period(school, assigned_on, unassigned_on, active):
    assignment = f.CuratorAssignmentFactory(school=school, assigned_on=assigned_on, unassigned_on=unassigned_on)
    period = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    assert scope.curator_active(assignment, *period) is active
    assert CuratorAssignment.objects.filter(scope.curator_active_q(*period), pk=assignment.pk).exists() is active


def test_curator_active_on_one_day(school):
    assignment = f.CuratorAssignmentFactory(
        school=school, assigned_on=dt.date(2021, 3, 15), unassigned_on=dt.date(2021, 4, 15)
    )
    for day, active in [
        (dt.date(2021, 3, 14), False),
        (dt.date(2021, 3, 15), True),
        (dt.date(2021, 4, 15), True),
        (dt.date(2021, 4, 16), False),
    ]:
        assert scope.curator_active(assignment, day) is active
        assert CuratorAssignment.objects.filter(scope.curator_active_q(day), pk=assignment.pk).exists() is active


def test_curates_is_cached_per_user_object(curator, school, neighbour, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert scope.curates(curator, school)
        assert not scope.curates(curator, neighbour)
    with django_assert_num_queries(0):
        assert scope.curates(curator, school)
        assert not scope.curates(curator, neighbour)


# --- get or 404 --------------------------------------------------------------------------------------


def test_school_or_404(director, school, other_school):
    found = scope.school_or_404(director, school.pk)
    assert found == school
    assert found.municipality.region == school.municipality.region
    with pytest.raises(Http404):
        scope.school_or_404(director, other_school.pk)
    with pytest.raises(Http404):
        scope.school_or_404(director, school.pk, roles=(Role.METHODIST,))


def test_in_school_or_404(methodist, curator, school, other_school):
    mine = f.RegistryEntryFactory(school=school)
    theirs = f.RegistryEntryFactory(school=other_school)
    f.CuratorAssignmentFactory(school=school, user=curator, full_name="Второе назначение")
    for user in (methodist, curator):
        assert scope.in_school_or_404(RegistryEntry.objects.all(), user, mine.pk) == mine
        with pytest.raises(Http404):
            scope.in_school_or_404(RegistryEntry.objects.all(), user, theirs.pk)
    with pytest.raises(Http404):
        scope.in_school_or_404(RegistryEntry.objects.all(), methodist, mine.pk, roles=(Role.CURATOR,))


# --- services: the actor's right ----------------------------------------------------------------------


def test_require_refuses_outsiders_and_wrong_roles_and_lets_the_system_through(
    methodist, coordinator, director, school, other_school, municipality, region
):
    scope.require_school(methodist, school, roles=(Role.METHODIST,))
    with pytest.raises(PermissionDenied):
        scope.require_school(methodist, other_school)
    with pytest.raises(PermissionDenied):
        scope.require_school(director, school, roles=(Role.METHODIST, Role.ADMIN))
    scope.require_municipality(coordinator, municipality, roles=(Role.COORDINATOR,))
    with pytest.raises(PermissionDenied):
        scope.require_municipality(director, municipality)
    scope.require_region(coordinator, region)
    with pytest.raises(PermissionDenied):
        scope.require_region(methodist, region)
    scope.require_school(scope.SYSTEM, other_school, roles=(Role.DIRECTOR,))
    scope.require_municipality(scope.SYSTEM, municipality)
    scope.require_region(scope.SYSTEM, region)
    assert not scope.covers_school(scope.SYSTEM, school)  # the system passes the checks, it covers nothing
