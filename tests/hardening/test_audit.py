"""Audit: sign-off, registry changes, role changes and imports are recorded with who and when.

Each change goes through the page a person uses, so the history entries carry the request's user
(simple_history's middleware) and the workflow transitions carry the actor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def _recent(moment) -> bool:
    return timezone.now() - dt.timedelta(minutes=5) < moment <= timezone.now()


def test_registry_exclusion_is_recorded_with_who_and_when(client, school, methodist):
    entry = f.RegistryEntryFactory(school=school)
    client.force_login(methodist)
    response = client.post(
        reverse("schools:school-exclude", args=[school.pk]),
        {"excluded_on": "15.03.2021", "exclusion_reason": "Стабильные результаты ВПР три года подряд."},
    )
    assert response.status_code == 302
    latest = entry.history.latest()
    assert latest.excluded_on == dt.date(2021, 3, 15)
    assert latest.history_user == methodist
    assert latest.history_type == "~" and _recent(latest.history_date)


def test_role_change_in_the_admin_is_recorded_with_who_and_when(client, school, municipality):
    from core.models import Membership, User

    superuser = User.objects.create_superuser("root", "root@example.org", "x")
    person = f.UserFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:portal_membership_add"),
        {"user": person.pk, "role": "director", "school": school.pk, "municipality": "", "region": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person)
    created = membership.history.latest()
    assert (created.history_type, created.history_user, created.role) == ("+", superuser, "director")

    response = client.post(
        reverse("admin:portal_membership_change", args=[membership.pk]),
        {"user": person.pk, "role": "methodist", "school": "", "municipality": municipality.pk, "region": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = membership.history.latest()
    assert (changed.history_type, changed.history_user, changed.role) == ("~", superuser, "methodist")
    assert _recent(changed.history_date)


def test_quarterly_report_sign_off_is_recorded_with_who_and_when(client, school, methodist):
    from roadmaps.models import ReportTransition

    report = f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=school), status="submitted")
    f.ActivityReportFactory(report=report)
    client.force_login(methodist)
    response = client.post(
        reverse("roadmaps:report-action", args=[report.pk, "approve"]),
        {"comment": "Принято", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == methodist
    transition = ReportTransition.objects.get(report=report, action="approve")
    assert (transition.actor, transition.from_status, transition.to_status) == (methodist, "submitted", "approved")
    assert _recent(transition.created_at)


def test_reference_signature_is_recorded_with_who_and_when(
    client, school, methodist, head, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.models import ReferenceTransition
    from reports.services import rendering

    monkeypatch.setattr(rendering, "render_pdf", lambda template_name, context: b"%PDF-1.4 signed\n%%EOF")
    reference = f.reference(municipality=school.municipality, created_by=methodist, status="sent")
    version = f.ReferenceVersionFactory(reference=reference)
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:sign", args=[reference.pk]),
            {
                "kind": "approve",
                "position": "Начальник управления образования",
                "name": "Н.А. Бозина",
                "signed_on": "2021-07-07",
                "outgoing_number": "00-14/08-2729",
                "version": reference.version,
            },
        )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.signed_by == head and _recent(version.signed_at)
    transition = ReferenceTransition.objects.filter(reference=reference).latest("created_at")
    assert (transition.actor, transition.to_status) == (head, "signed")
    assert _recent(transition.created_at)


def test_workbook_import_is_recorded_with_who_and_when(client, municipality, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob
    from schools.models import School
    from tests.fixtures.workbooks import make_workbook

    admin = f.user_with_role("admin")
    oo = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]
    data = make_workbook({"ОО": [oo, ["N1", "МОУ «Новая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"]]})
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import-list"), {"file": SimpleUploadedFile("книга.xlsx", data)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED, job.message
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import-confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 1
    assert job.requested_by == admin and job.original_name == "книга.xlsx"
    assert _recent(job.created_at) and _recent(job.confirmed_at) and _recent(job.finished_at)
    # the rows it wrote carry the importing user too
    school = School.objects.get(code="N1")
    assert school.history.latest().history_user == admin
