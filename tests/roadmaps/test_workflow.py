"""Report workflow services: every transition allowed and refused, audit trail, e-mails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from roadmaps import services
from roadmaps.models import ReportStatus, ReportTransition, ReviewComment
from tests import factories as f

from .conftest import fill_lines

pytestmark = pytest.mark.django_db


def test_report_create_adds_a_line_per_activity_of_the_quarter(report, roadmap):
    # An activity of another quarter stays out of the report.
    f.ActivityFactory(roadmap=roadmap, due_on=report.bounds[0].replace(day=1).replace(year=report.year - 1))
    report.refresh_from_db()
    assert report.lines.count() == 3
    assert report.status == ReportStatus.DRAFT


def test_submit_requires_every_line_complete(report, director):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=director, version=report.version)
    messages = exc.value.messages
    assert len(messages) == 3
    assert all("не указан статус" in m for m in messages)


def test_line_not_done_needs_a_reason(report, director):
    fill_lines(report, director, status="not_done", result="", participants=None)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, user=director, version=report.version)
    assert "статус «не выполнено» — укажите причину" in exc.value.messages[0]
    fill_lines(report, director, status="not_done", reason="Карантин в школе", result="")
    services.report_submit(report=report, user=director, version=report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_submit_records_transition_and_mails_methodists(
    report, director, methodist, django_capture_on_commit_callbacks
):
    fill_lines(report, director)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=director, version=report.version)
    t = ReportTransition.objects.get(report=report)
    assert (t.actor, t.from_status, t.to_status, t.action) == (director, "draft", "submitted", "submit")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [methodist.email]
    assert "Отчёт на проверку" in mail.outbox[0].subject
    assert "/roadmaps/reports/" in mail.outbox[0].body


def test_submit_by_methodist_or_curator_is_forbidden(report, director, methodist, curator):
    fill_lines(report, director)
    for user in (methodist, curator):
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, user=user, version=report.version)


def test_return_requires_a_comment(submitted_report, methodist):
    with pytest.raises(ValidationError) as exc:
        services.report_return(
            report=submitted_report, user=methodist, comment="  ", line_comments={}, version=submitted_report.version
        )
    assert "Укажите замечание" in exc.value.messages[0]
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_return_with_line_comment_only(submitted_report, methodist, director, django_capture_on_commit_callbacks):
    line = submitted_report.lines.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            report=submitted_report,
            user=methodist,
            comment="",
            line_comments={line.pk: "Приложите приказ"},
            version=submitted_report.version,
        )
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.RETURNED
    comment = ReviewComment.objects.get()
    assert (comment.line, comment.text, comment.author) == (line, "Приложите приказ", methodist)
    assert mail.outbox[-1].to == [director.email]
    assert "Приложите приказ" in mail.outbox[-1].body


def test_returned_report_can_be_fixed_and_resubmitted(submitted_report, methodist, director):
    services.report_return(
        report=submitted_report, user=methodist, comment="Уточните результаты", version=submitted_report.version
    )
    fill_lines(submitted_report, director, result="Проведено 2 семинара, 14 педагогов")
    services.report_submit(report=submitted_report, user=director, version=submitted_report.version)
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    assert list(submitted_report.transitions.values_list("action", flat=True)) == ["submit", "return", "submit"]


def test_approve_by_methodist(submitted_report, methodist, director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=submitted_report, user=methodist, version=submitted_report.version)
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED
    assert submitted_report.approved_by == methodist
    assert mail.outbox[-1].to == [director.email]
    assert "утверждён" in mail.outbox[-1].subject


@pytest.mark.parametrize("role", ["director", "curator", "head", "coordinator"])
def test_approve_and_return_by_other_roles_are_forbidden(submitted_report, role, request):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted_report, user=user, version=submitted_report.version)
    with pytest.raises(PermissionDenied):
        services.report_return(report=submitted_report, user=user, comment="Нет", version=submitted_report.version)


def test_methodist_of_another_municipality_cannot_approve(submitted_report, outsider_methodist):
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted_report, user=outsider_methodist, version=submitted_report.version)


def test_approve_draft_is_refused_in_russian(report, methodist):
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=report, user=methodist, version=report.version)
    assert exc.value.messages == ["Нельзя утвердить отчёт: он в статусе «черновик»."]


def test_submit_twice_is_refused(submitted_report, director):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=submitted_report, user=director, version=submitted_report.version)
    assert exc.value.messages == ["Нельзя отправить на проверку отчёт: он в статусе «на проверке»."]


def test_approved_report_is_read_only(approved_report, director, methodist):
    for user in (director, methodist):
        with pytest.raises(ValidationError) as exc:
            fill_lines(approved_report, user)
        assert "в статусе «утверждён»" in exc.value.messages[0]


def test_reopen_needs_methodist_and_reason(approved_report, methodist, director):
    with pytest.raises(PermissionDenied):
        services.report_reopen(report=approved_report, user=director, reason="Ошибка", version=approved_report.version)
    with pytest.raises(ValidationError):
        services.report_reopen(report=approved_report, user=methodist, reason="", version=approved_report.version)
    services.report_reopen(
        report=approved_report, user=methodist, reason="Ошибка в числе участников", version=approved_report.version
    )
    approved_report.refresh_from_db()
    assert approved_report.status == ReportStatus.RETURNED
    assert approved_report.approved_at is None
    assert approved_report.transitions.last().comment == "Ошибка в числе участников"


def test_reopen_of_submitted_report_is_refused(submitted_report, methodist):
    with pytest.raises(ValidationError) as exc:
        services.report_reopen(
            report=submitted_report, user=methodist, reason="Причина", version=submitted_report.version
        )
    assert "в статусе «на проверке»" in exc.value.messages[0]


def test_curator_certifies_submitted_report_once(submitted_report, curator, methodist, director):
    with pytest.raises(PermissionDenied):
        services.report_certify(report=submitted_report, user=methodist, version=submitted_report.version)
    services.report_certify(report=submitted_report, user=curator, version=submitted_report.version)
    submitted_report.refresh_from_db()
    assert submitted_report.certified_by == curator
    assert submitted_report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        services.report_certify(report=submitted_report, user=curator, version=submitted_report.version)
    assert "уже заверен" in exc.value.messages[0]


def test_certify_draft_is_refused(report, curator):
    with pytest.raises(ValidationError):
        services.report_certify(report=report, user=curator, version=report.version)


def test_curator_of_another_school_cannot_certify(submitted_report):
    stranger = f.user_with_role("curator")
    f.CuratorAssignmentFactory(user=stranger, full_name=stranger.full_name)
    with pytest.raises(PermissionDenied):
        services.report_certify(report=submitted_report, user=stranger, version=submitted_report.version)


def test_director_cannot_edit_draft_after_deadline_but_methodist_can(school, director, methodist):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    f.ActivityFactory(roadmap=roadmap)
    report = services.report_create(roadmap=roadmap, year=2021, quarter=1, user=methodist)
    with pytest.raises(ValidationError) as exc:
        fill_lines(report, director)
    assert "Срок сдачи отчёта за 1 квартал 2021 г. истёк 10.04.2021" in exc.value.messages[0]
    fill_lines(report, methodist)
    assert report.lines.get().status == "done"


def test_deadline_is_configurable_per_region(school, director, methodist):
    from roadmaps.models import QuarterDeadline
    from roadmaps.selectors.windows import report_deadline

    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    report = services.report_create(roadmap=roadmap, year=2021, quarter=1, user=methodist)
    QuarterDeadline.objects.create(region=school.municipality.region, year=2021, quarter=1, deadline="2021-04-05")
    assert report_deadline(report).isoformat() == "2021-04-05"


def test_roadmap_emails_methodists_on_submit_and_director_on_decision(
    roadmap, director, methodist, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    assert mail.outbox[-1].to == [methodist.email]
    assert mail.outbox[-1].subject.startswith("Дорожная карта на согласование:")
    with django_capture_on_commit_callbacks(execute=True):
        services.roadmap_return(
            roadmap=roadmap, user=methodist, comment="Добавьте мероприятия по ВСОКО", version=roadmap.version
        )
    assert mail.outbox[-1].to == [director.email]
    assert "возвращена на доработку" in mail.outbox[-1].subject
    assert "Добавьте мероприятия по ВСОКО" in mail.outbox[-1].body


def test_roadmap_with_no_activities_cannot_be_submitted(school, director):
    empty = f.RoadmapFactory(school=school, academic_year=2030)
    with pytest.raises(ValidationError) as exc:
        services.roadmap_submit(roadmap=empty, user=director, version=empty.version)
    assert exc.value.messages == ["В дорожной карте нет ни одного мероприятия — добавьте их перед отправкой."]


def test_approved_roadmap_cannot_be_edited(roadmap, director, methodist):
    services.roadmap_submit(roadmap=roadmap, user=director, version=roadmap.version)
    services.roadmap_approve(roadmap=roadmap, user=methodist, version=roadmap.version)
    with pytest.raises(ValidationError) as exc:
        services.activity_save(roadmap=roadmap, user=director, data={"title": "Новое"})
    assert exc.value.messages == ["Дорожная карта в статусе «утверждена» — изменять её нельзя."]
    services.roadmap_reopen(
        roadmap=roadmap, user=methodist, reason="Новые мероприятия по итогам ВПР", version=roadmap.version
    )
    roadmap.refresh_from_db()
    assert roadmap.status == "returned"


def test_director_cannot_start_a_report_after_its_deadline(school, director, methodist):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    with pytest.raises(ValidationError) as exc:
        services.report_create(roadmap=roadmap, year=2021, quarter=2, user=director)
    assert exc.value.messages == [
        "Срок сдачи отчёта за 2 квартал 2021 г. истёк 10.07.2021 — начать его может методист муниципалитета."
    ]
    assert services.report_create(roadmap=roadmap, year=2021, quarter=2, user=methodist).status == "draft"
