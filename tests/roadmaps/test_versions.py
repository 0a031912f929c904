"""Lost updates outside the report form (issue 11): an activity edit and every report and roadmap
transition carry the version they were made against (core.versions); a stale one is refused in
Russian naming who changed what, and writes nothing; a fresh one works."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.versions import StaleVersion
from roadmaps import services
from roadmaps.models import Activity, ReportStatus, Roadmap, RoadmapStatus, RoadmapTransition

from .conftest import fill_lines

pytestmark = pytest.mark.django_db


def _edit_url(activity: Activity) -> str:
    return reverse("roadmaps:activity-edit", args=[activity.roadmap_id, activity.pk])


def _activity_post(activity: Activity, version: int, title: str) -> dict:
    return {
        "version": version,
        "direction": activity.direction_id,
        "activity_type": activity.activity_type_id or "",
        "title": title,
        "due_on": activity.due_on.strftime("%d.%m.%Y"),
    }


# Activities ------------------------------------------------------------------------------------------


def test_two_editors_of_an_activity_the_second_is_refused_naming_the_first(roadmap, director, methodist):
    activity = roadmap.activities.order_by("pk").first()
    opened = activity.version
    services.activity_save(
        roadmap=roadmap, user=methodist, activity=activity, data={"title": "Семинар методиста"}, version=opened
    )
    stale = Activity.objects.get(pk=activity.pk)
    with pytest.raises(StaleVersion) as exc:
        services.activity_save(
            roadmap=roadmap, user=director, activity=stale, data={"title": "Семинар директора"}, version=opened
        )
    message = exc.value.message
    assert message.startswith(f"Мероприятие уже изменил(а) {methodist.short_name} (")
    assert "мероприятие / форма проведения" in message
    assert "Ваши изменения не сохранены" in message
    assert Activity.objects.get(pk=activity.pk).title == "Семинар методиста"


def test_activity_form_refuses_a_stale_version_and_keeps_the_input(client, roadmap, director, methodist):
    activity = roadmap.activities.order_by("pk").first()
    opened = activity.version
    client.force_login(director)
    assert f'name="version" value="{opened}"' in client.get(_edit_url(activity)).content.decode()
    services.activity_save(
        roadmap=roadmap, user=methodist, activity=activity, data={"title": "Семинар методиста"}, version=opened
    )
    response = client.post(_edit_url(activity), _activity_post(activity, opened, "Семинар директора"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Мероприятие уже изменил(а)" in html
    assert "Семинар директора" in html  # the input is still on the page
    assert f'name="version" value="{opened}"' in html  # and still stale
    assert Activity.objects.get(pk=activity.pk).title == "Семинар методиста"
    fresh = Activity.objects.get(pk=activity.pk).version
    response = client.post(_edit_url(activity), _activity_post(activity, fresh, "Семинар директора"))
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "Семинар директора"


def test_activity_delete_from_a_stale_page_is_refused(client, roadmap, director, methodist):
    activity = roadmap.activities.order_by("pk").first()
    opened = activity.version
    services.activity_save(roadmap=roadmap, user=methodist, activity=activity, data={"title": "Новое"}, version=opened)
    client.force_login(director)
    url = reverse("roadmaps:activity-delete", args=[roadmap.pk, activity.pk])
    client.post(url, {"version": opened})
    assert Activity.objects.filter(pk=activity.pk).exists()
    client.post(url, {"version": Activity.objects.get(pk=activity.pk).version})
    assert not Activity.objects.filter(pk=activity.pk).exists()


# Report transitions ------------------------------------------------------------------------------------


def _resubmitted_behind_the_back(report, director, other_methodist) -> None:
    """Another methodist returns the report, the director changes it and sends it again (version B)."""
    services.report_return(report=report, user=other_methodist, comment="Уточните", version=report.version)
    fill_lines(report, director, result="Версия Б: другие результаты")
    services.report_submit(report=report, user=director, version=report.version)
    report.refresh_from_db()


@pytest.fixture
def other_methodist(municipality):
    from tests import factories as f

    return f.user_with_role("methodist", municipality=municipality)


def test_stale_approve_of_a_version_never_seen_is_refused(submitted_report, director, methodist, other_methodist):
    seen = submitted_report.version
    _resubmitted_behind_the_back(submitted_report, director, other_methodist)
    with pytest.raises(StaleVersion) as exc:
        services.report_approve(report=submitted_report, user=methodist, version=seen)
    assert exc.value.message.startswith("Отчёт уже изменил(а) ")
    assert other_methodist.short_name in exc.value.message
    assert director.short_name in exc.value.message
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    assert not submitted_report.transitions.filter(action="approve").exists()
    services.report_approve(report=submitted_report, user=methodist, version=submitted_report.version)
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED


@pytest.mark.parametrize("action", ["approve", "return"])
def test_review_buttons_carry_the_version(client, submitted_report, director, methodist, other_methodist, action):
    client.force_login(methodist)
    page = client.get(reverse("roadmaps:report-detail", args=[submitted_report.pk])).content.decode()
    seen = submitted_report.version
    assert f'name="version" value="{seen}"' in page
    _resubmitted_behind_the_back(submitted_report, director, other_methodist)
    url = reverse("roadmaps:report-action", args=[submitted_report.pk, action])
    response = client.post(url, {"version": seen, "comment": "Замечание"}, follow=True)
    assert "Отчёт уже изменил(а)" in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    client.post(url, {"version": submitted_report.version, "comment": "Замечание"})
    submitted_report.refresh_from_db()
    assert submitted_report.status == {"approve": ReportStatus.APPROVED, "return": ReportStatus.RETURNED}[action]


def test_stale_return_and_reopen_are_refused(approved_report, director, methodist, other_methodist):
    seen = approved_report.version
    services.report_reopen(report=approved_report, user=other_methodist, reason="Опечатка", version=seen)
    approved_report.refresh_from_db()
    services.report_submit(report=approved_report, user=director, version=approved_report.version)
    approved_report.refresh_from_db()
    with pytest.raises(StaleVersion):
        services.report_return(report=approved_report, user=methodist, comment="Ещё", version=seen)
    services.report_approve(report=approved_report, user=other_methodist, version=approved_report.version)
    approved_report.refresh_from_db()
    with pytest.raises(StaleVersion):
        services.report_reopen(report=approved_report, user=methodist, reason="Ещё", version=seen)
    approved_report.refresh_from_db()
    assert approved_report.status == ReportStatus.APPROVED
    assert approved_report.transitions.filter(action="reopen").count() == 1


def test_a_missing_version_is_refused(client, submitted_report, methodist):
    client.force_login(methodist)
    client.post(reverse("roadmaps:report-action", args=[submitted_report.pk, "approve"]))
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED


# Roadmap transitions -----------------------------------------------------------------------------------


@pytest.fixture
def submitted_roadmap(roadmap, director) -> Roadmap:
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    roadmap.refresh_from_db()
    return roadmap


@pytest.mark.parametrize("action", ["approve", "return"])
def test_stale_roadmap_review_is_refused(client, submitted_roadmap, director, methodist, other_methodist, action):
    roadmap = submitted_roadmap
    client.force_login(methodist)
    page = client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk])).content.decode()
    seen = roadmap.version
    assert f'name="version" value="{seen}"' in page
    # Returned by a colleague, an activity changed by the director, sent again: not what was reviewed.
    services.roadmap_return(roadmap=roadmap, user=other_methodist, comment="Добавьте сроки", version=seen)
    activity = roadmap.activities.order_by("pk").first()
    services.activity_save(
        roadmap=roadmap, user=director, activity=activity, data={"title": "Другое"}, version=activity.version
    )
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    url = reverse("roadmaps:roadmap-action", args=[roadmap.pk, action])
    response = client.post(url, {"version": seen, "comment": "Замечание"}, follow=True)
    html = response.content.decode()
    assert "Дорожную карту уже изменил(а)" in html
    assert "мероприятие «Другое» — изменено" in html
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED
    assert not RoadmapTransition.objects.filter(roadmap=roadmap, actor=methodist).exists()
    client.post(url, {"version": roadmap.version, "comment": "Замечание"})
    roadmap.refresh_from_db()
    assert roadmap.status == {"approve": RoadmapStatus.APPROVED, "return": RoadmapStatus.RETURNED}[action]
