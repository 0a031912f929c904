"""Hard deletes (issue 11): organisations, users and what reports and references refer to are archived,
never deleted. The admin offers «В архив» instead of delete, the foreign keys are PROTECT, and an
archived school leaves lists, selects and new work while its history still opens and computes."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from core.calendar import quarter_bounds
from coverage.selectors import coverage_compute
from monitoring.selectors import Scope
from schools.models import School
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return f.UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    [
        "schools/school",
        "schools/municipality",
        "schools/region",
        "schools/registryentry",
        "portal/user",
        "roadmaps/roadmap",
        "roadmaps/quarterlyreport",
        "monitoring/methodicalvisit",
        "monitoring/indicatorvalue",
    ],
)
def test_admin_offers_no_delete(client, superuser, model, approved_report, school):
    f.RegistryEntryFactory(school=school)
    f.MethodicalVisitFactory(school=school)
    f.IndicatorValueFactory(school=school)
    client.force_login(superuser)
    changelist = client.get(f"/admin/{model}/")
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert 'id="result_list"' in html  # a list with rows (the actions show only then)
    assert 'value="delete_selected"' not in html


def test_admin_delete_page_of_a_school_is_refused(client, superuser, approved_report):
    school = approved_report.roadmap.school
    client.force_login(superuser)
    assert client.get(f"/admin/schools/school/{school.pk}/delete/").status_code == 403
    assert client.post(f"/admin/schools/school/{school.pk}/delete/", {"post": "yes"}).status_code == 403
    assert School.objects.filter(pk=school.pk).exists()
    assert approved_report.__class__.objects.filter(pk=approved_report.pk).exists()


def test_deleting_a_school_with_history_is_protected_in_the_database(approved_report):
    school = approved_report.roadmap.school
    f.MethodicalVisitFactory(school=school)
    with pytest.raises(ProtectedError):
        school.delete()
    with pytest.raises(ProtectedError):
        approved_report.roadmap.delete()


def test_admin_archives_and_brings_back(client, superuser, school):
    client.force_login(superuser)
    changelist = client.get("/admin/schools/school/").content.decode()
    assert "В архив" in changelist and "Вернуть из архива" in changelist
    client.post("/admin/schools/school/", {"action": "archive", "_selected_action": [school.pk]})
    school.refresh_from_db()
    assert school.is_archived and school.archived_at is not None
    client.post("/admin/schools/school/", {"action": "unarchive", "_selected_action": [school.pk]})
    school.refresh_from_db()
    assert not school.is_archived and school.archived_at is None


def test_an_archived_school_leaves_lists_and_new_work_but_keeps_its_history(client, approved_report, methodist, school):
    other = f.SchoolFactory(municipality=school.municipality, name="Соседняя школа")
    f.RegistryEntryFactory(school=school, academic_year=approved_report.roadmap.academic_year)
    start, end = quarter_bounds(approved_report.year, approved_report.quarter)
    scope = Scope("municipality", school.municipality.code)
    before = coverage_compute(scope=scope, date_from=start, date_to=end)
    School.objects.filter(pk=school.pk).update(is_archived=True)
    client.force_login(methodist)

    listing = client.get(reverse("schools:school-list")).content.decode()
    assert school.name not in listing and other.name in listing
    visit_form = client.get(reverse("monitoring:visit-create")).content.decode()
    assert f'value="{school.pk}"' not in visit_form and f'value="{other.pk}"' in visit_form
    response = client.post(reverse("schools:registry-create", args=[school.pk]), follow=True)
    assert "в архиве" in response.content.decode()
    assert school.registry_entries.count() == 1

    # History: the approved report still opens, the reference's tables are unchanged.
    assert client.get(reverse("roadmaps:report-detail", args=[approved_report.pk])).status_code == 200
    assert coverage_compute(scope=scope, date_from=start, date_to=end) == before
    assert [s["id"] for s in before["schools"]] == [school.pk]


def test_an_archived_municipality_hides_its_schools(school):
    school.municipality.is_archived = True
    school.municipality.save()
    assert not School.objects.active().filter(pk=school.pk).exists()
