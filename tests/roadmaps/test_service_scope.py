"""The report services refuse a director of another school themselves (issue 11): the views 404 first,
so only a direct call (a command, a task, a future view) shows that the service checks its actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps import services
from roadmaps.models import Evidence, ReportStatus
from tests import factories as f

from .conftest import PDF_BYTES, fill_lines

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["same municipality", "another region"])
def other_director(request, school, other_school):
    """A director of another school: a neighbour in the same municipality, or one far away."""
    elsewhere = (
        f.SchoolFactory(municipality=school.municipality) if request.param == "same municipality" else other_school
    )
    return f.user_with_role("director", school=elsewhere)


def test_director_of_another_school_cannot_submit(report, director, other_director):
    fill_lines(report, director)  # complete: only the actor's right stands in the way
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, user=other_director, version=report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.report_submit(report=report, user=director, version=report.version)
    assert report.status == ReportStatus.SUBMITTED


def test_director_of_another_school_cannot_save_lines(report, other_director):
    line = report.lines.first()
    with pytest.raises(PermissionDenied):
        services.report_save(
            report=report,
            user=other_director,
            version=report.version,
            lines={line.pk: {"status": "done", "result": "Чужая правка", "participants": 3}},
        )
    line.refresh_from_db()
    assert (line.status, line.result) == ("", "")


def test_director_of_another_school_cannot_upload_evidence(report, other_director):
    line = report.lines.first()
    upload = SimpleUploadedFile("Приказ.pdf", PDF_BYTES, content_type="application/pdf")
    with pytest.raises(PermissionDenied):
        services.report_save(
            report=report, user=other_director, version=report.version, lines={}, files={line.pk: [upload]}
        )
    assert not Evidence.objects.filter(line__report=report).exists()


def test_director_of_another_school_cannot_open_a_report_or_edit_the_roadmap(roadmap, quarter, other_director):
    year, q = quarter
    with pytest.raises(PermissionDenied):
        services.report_create(roadmap=roadmap, year=year, quarter=q, user=other_director)
    with pytest.raises(PermissionDenied):
        services.activity_save(roadmap=roadmap, user=other_director, data={"title": "Чужое мероприятие"})
    with pytest.raises(PermissionDenied):
        services.roadmap_submit(roadmap=roadmap, user=other_director, version=roadmap.version)
    assert not roadmap.reports.exists()


def test_the_system_actor_opens_a_report_without_a_right_check(roadmap, quarter):
    year, q = quarter
    report = services.report_create(roadmap=roadmap, year=year, quarter=q, user=None)
    assert report.lines.count() == roadmap.activities.count()
