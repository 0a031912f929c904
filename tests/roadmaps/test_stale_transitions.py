"""Lost updates on the transitions that had no version check (issue 11): report submit and certify,
roadmap submit, certify and reopen. Each is a two-tab scenario: the page is loaded, someone else
changes the object, the stale POST is refused in Russian naming who changed what, and nothing changes;
the same button from a fresh page works. Every button's form posts the version its page showed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.versions import StaleVersion
from roadmaps import services
from roadmaps.models import ReportStatus, ReportTransition, RoadmapStatus, RoadmapTransition
from tests import factories as f

from .conftest import fill_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_methodist(municipality):
    return f.user_with_role("methodist", municipality=municipality)


def _form_version(html: str, action_url: str) -> int:
    """The version posted by the form whose action is `action_url` (each button carries its own)."""
    match = re.search(rf'<form[^>]*action="{re.escape(action_url)}"[^>]*>(.*?)</form>', html, flags=re.S)
    assert match, f"no form posting to {action_url}"
    version = re.search(r'name="version" value="(\d+)"', match.group(1))
    assert version, f"the form posting to {action_url} carries no version"
    return int(version.group(1))


def _edit_activity(roadmap, user, title: str) -> None:
    activity = roadmap.activities.order_by("pk").first()
    services.activity_save(
        roadmap=roadmap, user=user, activity=activity, data={"title": title}, version=activity.version
    )


# Report submit ---------------------------------------------------------------------------------------


def test_report_submit_from_a_stale_page_is_refused(client, report, director, methodist):
    fill_lines(report, director)
    client.force_login(director)
    url = reverse("roadmaps:report-action", args=[report.pk, "submit"])
    page = client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode()
    seen = report.version
    assert f'name="version" value="{seen}"' in page
    # Meanwhile the methodist corrects a line of the draft.
    line = report.lines.order_by("pk").first()
    services.report_save(report=report, user=methodist, version=seen, lines={line.pk: {"result": "Исправил методист"}})
    response = client.post(url, {"version": seen}, follow=True)
    html = response.content.decode()
    assert "Отчёт уже изменил(а)" in html and methodist.short_name in html
    assert "Результат" in html or "результат" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert not report.transitions.filter(action="submit").exists()
    client.post(url, {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_report_submit_service_refuses_a_stale_version(report, director, methodist):
    fill_lines(report, director)
    seen = report.version
    line = report.lines.order_by("pk").first()
    services.report_save(report=report, user=methodist, version=seen, lines={line.pk: {"participants": 30}})
    with pytest.raises(StaleVersion) as exc:
        services.report_submit(report=report, user=director, version=seen)
    assert exc.value.message.startswith(f"Отчёт уже изменил(а) {methodist.short_name} (")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_save_and_submit_from_the_form_submits_the_saved_version(client, report, director):
    """The form's «Отправить на проверку» saves, then submits the version it has just written."""
    fill_lines(report, director)
    client.force_login(director)
    lines = list(report.lines.order_by("pk"))
    data = {"version": report.version, "action": "submit"}
    for line in lines:
        data |= {
            f"line-{line.pk}-status": "done",
            f"line-{line.pk}-result": "Проведено",
            f"line-{line.pk}-participants": 5,
        }
    assert client.post(reverse("roadmaps:report-detail", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# Report certify --------------------------------------------------------------------------------------


def test_report_certify_from_a_stale_page_is_refused(client, submitted_report, director, curator, other_methodist):
    report = submitted_report
    client.force_login(curator)
    url = reverse("roadmaps:report-action", args=[report.pk, "certify"])
    seen = _form_version(client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode(), url)
    assert seen == report.version
    # Returned by a methodist, changed by the director, sent again: not what the curator read.
    services.report_return(report=report, user=other_methodist, comment="Уточните", version=seen)
    fill_lines(report, director, result="Другие результаты")
    services.report_submit(report=report, user=director, version=report.version)
    response = client.post(url, {"version": seen}, follow=True)
    html = response.content.decode()
    assert "Отчёт уже изменил(а)" in html
    assert other_methodist.short_name in html and director.short_name in html
    report.refresh_from_db()
    assert report.certified_at is None and report.certified_by is None
    assert not report.transitions.filter(action=ReportTransition.Action.CERTIFY).exists()
    client.post(url, {"version": report.version})
    report.refresh_from_db()
    assert report.certified_by == curator


# Roadmap submit, certify, reopen ---------------------------------------------------------------------


def test_roadmap_submit_from_a_stale_page_is_refused(client, roadmap, director, methodist):
    client.force_login(director)
    url = reverse("roadmaps:roadmap-action", args=[roadmap.pk, "submit"])
    seen = _form_version(client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode(), url)
    assert seen == roadmap.version
    _edit_activity(roadmap, methodist, "Семинар, поправленный методистом")
    response = client.post(url, {"version": seen}, follow=True)
    html = response.content.decode()
    assert "Дорожную карту уже изменил(а)" in html and methodist.short_name in html
    assert "мероприятие «Семинар, поправленный методистом» — изменено" in html
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.DRAFT and roadmap.submitted_at is None
    assert not RoadmapTransition.objects.filter(roadmap=roadmap).exists()
    client.post(url, {"version": roadmap.version})
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED


@pytest.fixture
def submitted_roadmap(roadmap, director):
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    roadmap.refresh_from_db()
    return roadmap


def test_roadmap_certify_from_a_stale_page_is_refused(client, submitted_roadmap, director, curator, other_methodist):
    roadmap = submitted_roadmap
    client.force_login(curator)
    url = reverse("roadmaps:roadmap-action", args=[roadmap.pk, "certify"])
    seen = _form_version(client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode(), url)
    services.roadmap_return(roadmap=roadmap, user=other_methodist, comment="Добавьте сроки", version=seen)
    _edit_activity(roadmap, director, "Другое")
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    response = client.post(url, {"version": seen}, follow=True)
    html = response.content.decode()
    assert "Дорожную карту уже изменил(а)" in html and "мероприятие «Другое» — изменено" in html
    roadmap.refresh_from_db()
    assert roadmap.certified_at is None
    assert not RoadmapTransition.objects.filter(roadmap=roadmap, action="certify").exists()
    client.post(url, {"version": roadmap.version})
    roadmap.refresh_from_db()
    assert roadmap.certified_by == curator


def test_roadmap_reopen_from_a_stale_page_is_refused(client, submitted_roadmap, director, methodist, other_methodist):
    roadmap = submitted_roadmap
    services.roadmap_approve(roadmap=roadmap, user=methodist, version=roadmap.version)
    client.force_login(methodist)
    url = reverse("roadmaps:roadmap-action", args=[roadmap.pk, "reopen"])
    seen = _form_version(client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode(), url)
    # A colleague reopens it, the director changes an activity, it is sent and approved again.
    services.roadmap_reopen(roadmap=roadmap, user=other_methodist, reason="Опечатка", version=seen)
    _edit_activity(roadmap, director, "Исправленное мероприятие")
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    services.roadmap_approve(roadmap=roadmap, user=other_methodist, version=roadmap.version)
    response = client.post(url, {"version": seen, "reason": "Ещё раз"}, follow=True)
    html = response.content.decode()
    assert "Дорожную карту уже изменил(а)" in html and other_methodist.short_name in html
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED
    assert RoadmapTransition.objects.filter(roadmap=roadmap, action="reopen").count() == 1
    client.post(url, {"version": roadmap.version, "reason": "Ещё раз"})
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.RETURNED


@pytest.mark.parametrize("action", ["submit", "certify", "reopen"])
def test_a_roadmap_button_without_a_version_is_refused(client, roadmap, director, curator, methodist, action):
    if action != "submit":
        services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    if action == "reopen":
        services.roadmap_approve(roadmap=roadmap, user=methodist, version=roadmap.version)
    roadmap.refresh_from_db()
    before = (roadmap.status, roadmap.version, roadmap.certified_at)
    client.force_login({"submit": director, "certify": curator, "reopen": methodist}[action])
    client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, action]), {"reason": "Причина"})
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.version, roadmap.certified_at) == before


@pytest.mark.parametrize("action", ["submit", "certify"])
def test_a_report_button_without_a_version_is_refused(client, report, director, curator, action):
    fill_lines(report, director)
    if action == "certify":
        services.report_submit(report=report, user=director, version=report.version)
    report.refresh_from_db()
    before = (report.status, report.version, report.certified_at)
    client.force_login({"submit": director, "certify": curator}[action])
    client.post(reverse("roadmaps:report-action", args=[report.pk, action]))
    report.refresh_from_db()
    assert (report.status, report.version, report.certified_at) == before
