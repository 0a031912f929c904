"""A submitted or approved report keeps what each line reported against (issue 11): editing the
roadmap afterwards changes neither the report page, nor the export, nor the references computed
from it; a draft (or a returned report) shows the live roadmap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.calendar import quarter_bounds
from coverage.selectors import coverage_compute
from monitoring.selectors import Scope
from reports.selectors import activity_lines
from roadmaps import services
from roadmaps.exports import report_lines_export
from roadmaps.models import Roadmap, RoadmapStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

NEW_TITLE = "Совсем другое мероприятие"


def _type_counts(tables: dict) -> dict[str, int]:
    """Schools implementing each activity type, from the coverage tables a reference prints."""
    counts: dict[str, int] = {}
    for direction in tables["directions"]:
        for row in direction["types"]:
            counts[row["name"]] = row["count"]
    return counts


def _export_rows(tmp_path, school) -> list[tuple]:
    path = tmp_path / "lines.xlsx"
    report_lines_export(path=path, schools=[school.pk])
    return [row[2:6] for row in load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True)]


def _edit_after_reopen(roadmap: Roadmap, methodist) -> None:
    """Approve the roadmap, reopen it, and rewrite the first activity's title, type and dates."""
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.APPROVED)
    roadmap.refresh_from_db()
    services.roadmap_reopen(roadmap=roadmap, user=methodist, reason="Уточнить мероприятия", version=roadmap.version)
    activity = roadmap.activities.order_by("pk").first()
    services.activity_save(
        roadmap=roadmap,
        user=methodist,
        activity=activity,
        data={
            "direction": f.direction("parents"),
            "activity_type": f.activity_type("parents-03"),
            "title": NEW_TITLE,
            "starts_on": None,
            "due_on": activity.due_on - dt.timedelta(days=1),
        },
        version=activity.version,
    )


def test_roadmap_edit_after_approval_changes_nothing_the_report_shows(
    client, approved_report, methodist, school, tmp_path
):
    f.RegistryEntryFactory(school=school, academic_year=approved_report.roadmap.academic_year)
    start, end = quarter_bounds(approved_report.year, approved_report.quarter)
    scope = Scope("municipality", school.municipality.code)
    url = reverse("roadmaps:report-detail", args=[approved_report.pk])
    client.force_login(methodist)
    page_before = client.get(url).content.decode()
    export_before = _export_rows(tmp_path, school)
    tables_before = coverage_compute(scope=scope, date_from=start, date_to=end)
    lines_before = activity_lines([school.pk], start, end)
    first_title = approved_report.lines.order_by("activity_id").first().activity.title
    assert first_title in page_before

    _edit_after_reopen(approved_report.roadmap, methodist)

    page_after = client.get(url).content.decode()
    assert NEW_TITLE not in page_after
    assert first_title in page_after
    assert _export_rows(tmp_path, school) == export_before
    tables_after = coverage_compute(scope=scope, date_from=start, date_to=end)
    assert _type_counts(tables_after) == _type_counts(tables_before)
    assert _type_counts(tables_after)["проведение совместных мероприятий с родителями"] == 0
    assert tables_after["directions"] == tables_before["directions"]
    assert activity_lines([school.pk], start, end) == lines_before


def test_a_draft_shows_the_live_roadmap_and_a_return_thaws_the_copy(client, submitted_report, methodist, director):
    line = submitted_report.lines.order_by("activity_id").first()
    assert line.reported_title == line.activity.title
    services.report_return(
        report=submitted_report, user=methodist, comment="Уточните", version=submitted_report.version
    )
    line.refresh_from_db()
    assert not line.reported.is_frozen
    roadmap = submitted_report.roadmap
    activity = line.activity
    services.activity_save(
        roadmap=roadmap, user=director, activity=activity, data={"title": NEW_TITLE}, version=activity.version
    )
    client.force_login(director)
    page = client.get(reverse("roadmaps:report-detail", args=[submitted_report.pk])).content.decode()
    assert NEW_TITLE in page


def test_migration_freezes_the_lines_of_submitted_and_approved_reports(approved_report):
    """The data migration's copy equals the one a submit makes."""
    from importlib import import_module

    from django.apps import apps

    from roadmaps.models import ActivityReport

    expected = list(approved_report.lines.order_by("pk").values_list("reported_title", "reported_type_id"))
    ActivityReport.objects.update(reported_title="", reported_direction=None, reported_type=None)
    import_module("roadmaps.migrations.0006_report_line_reported_activity").freeze_submitted(apps, None)
    assert list(approved_report.lines.order_by("pk").values_list("reported_title", "reported_type_id")) == expected
