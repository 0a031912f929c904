"""Views: allowed user / outsider 404 / read-only role 403 / wrong method 405, and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.calendar import quarter_academic_year, quarter_bounds
from roadmaps import services
from roadmaps.models import Activity, QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus
from tests import factories as f

from .conftest import fill_lines

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _line_post(report: QuarterlyReport, **values) -> dict:
    data = {"version": report.version, "action": "save"}
    for line in report.lines.all():
        data.update(
            {
                f"line-{line.pk}-status": values.get("status", "done"),
                f"line-{line.pk}-result": values.get("result", "Проведено"),
                f"line-{line.pk}-participants": values.get("participants", "10"),
                f"line-{line.pk}-reason": values.get("reason", ""),
                f"line-{line.pk}-started_on": "",
                f"line-{line.pk}-finished_on": "",
            }
        )
    return data


# Report page --------------------------------------------------------------------------------------


def test_report_page_for_director_shows_editable_form(client, director, report):
    client.force_login(director)
    response = client.get(reverse("roadmaps:report-detail", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="version" value="1"' in html
    assert "Отправить на проверку" in html
    assert "Собственное мероприятие школы" in html


def test_report_page_outsider_gets_404(client, outsider_director, report):
    client.force_login(outsider_director)
    assert client.get(reverse("roadmaps:report-detail", args=[report.pk])).status_code == 404


def test_report_page_read_only_for_curator_and_post_forbidden(client, curator, report):
    client.force_login(curator)
    url = reverse("roadmaps:report-detail", args=[report.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="version"' not in response.content.decode()
    assert client.post(url, _line_post(report)).status_code == 403


def test_report_page_wrong_method_405(client, director, report):
    client.force_login(director)
    assert client.put(reverse("roadmaps:report-detail", args=[report.pk])).status_code == 405


def test_director_saves_and_submits_through_the_form(client, director, report, methodist):
    client.force_login(director)
    url = reverse("roadmaps:report-detail", args=[report.pk])
    response = client.post(url, {**_line_post(report), "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.version == 3  # one save, one transition
    assert set(report.lines.values_list("participants", flat=True)) == {10}


def test_submit_of_incomplete_report_keeps_the_draft_and_says_why(client, director, report):
    client.force_login(director)
    url = reverse("roadmaps:report-detail", args=[report.pk])
    response = client.post(url, {**_line_post(report, status="postponed", result=""), "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert set(report.lines.values_list("status", flat=True)) == {"postponed"}
    texts = _messages(response)
    assert texts[0] == "Черновик сохранён, но отчёт не отправлен. Исправьте:"
    assert "статус «перенесено» — укажите причину" in texts[1]


def test_invalid_dates_are_refused_and_nothing_is_written(client, director, report):
    client.force_login(director)
    data = _line_post(report)
    line = report.lines.first()
    data[f"line-{line.pk}-started_on"] = "2021-03-10"
    data[f"line-{line.pk}-finished_on"] = "2021-03-01"
    response = client.post(reverse("roadmaps:report-detail", args=[report.pk]), data)
    assert response.status_code == 400
    assert "Дата окончания раньше даты начала." in response.content.decode()
    assert not report.lines.exclude(status="").exists()


def test_report_form_for_40_activities_renders_in_bounded_queries(
    client, director, school, quarter, django_assert_max_num_queries
):
    year, q = quarter
    roadmap = f.RoadmapFactory(school=school, academic_year=quarter_academic_year(year, q))
    end = quarter_bounds(year, q)[1]
    types = ["teachers-09", "teachers-05", "motivation-01", "parents-01", "failure-03"]
    for n in range(40):
        f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type(types[n % 5]), due_on=end)
    report = services.report_create(roadmap=roadmap, year=year, quarter=q, user=director)
    fill_lines(report, director)
    client.force_login(director)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("roadmaps:report-detail", args=[report.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="card mb-3 report-line"') == 40


# Review actions ------------------------------------------------------------------------------------


def test_methodist_returns_with_line_comment_via_view(client, methodist, submitted_report, director):
    client.force_login(methodist)
    line = submitted_report.lines.first()
    response = client.post(
        reverse("roadmaps:report-action", args=[submitted_report.pk, "return"]),
        {
            "comment": "",
            f"line-comment-{line.pk}": "Нет подтверждающего документа",
            "version": submitted_report.version,
        },
    )
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.RETURNED
    client.force_login(director)
    html = client.get(reverse("roadmaps:report-detail", args=[submitted_report.pk])).content.decode()
    assert "Нет подтверждающего документа" in html


def test_return_without_comment_shows_russian_error(client, methodist, submitted_report):
    client.force_login(methodist)
    response = client.post(reverse("roadmaps:report-action", args=[submitted_report.pk, "return"]), {"comment": ""})
    assert response.status_code == 302
    assert "Укажите замечание к отчёту или хотя бы к одной строке" in _messages(response)[0]
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED


def test_approve_wrong_state_message(client, methodist, report):
    client.force_login(methodist)
    response = client.post(reverse("roadmaps:report-action", args=[report.pk, "approve"]), {"version": report.version})
    assert _messages(response) == ["Нельзя утвердить отчёт: он в статусе «черновик»."]


@pytest.mark.parametrize("action", ["approve", "return", "reopen"])
def test_review_actions_forbidden_for_director(client, director, submitted_report, action):
    client.force_login(director)
    url = reverse("roadmaps:report-action", args=[submitted_report.pk, action])
    assert client.post(url, {"comment": "x", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("action", ["approve", "return", "certify", "submit", "reopen"])
def test_review_actions_outsider_404(client, outsider_methodist, submitted_report, action):
    client.force_login(outsider_methodist)
    url = reverse("roadmaps:report-action", args=[submitted_report.pk, action])
    assert client.post(url, {"comment": "x"}).status_code == 404


def test_review_action_wrong_method_405(client, methodist, submitted_report):
    client.force_login(methodist)
    assert client.get(reverse("roadmaps:report-action", args=[submitted_report.pk, "approve"])).status_code == 405


def test_curator_certifies_via_view(client, curator, submitted_report):
    client.force_login(curator)
    response = client.post(
        reverse("roadmaps:report-action", args=[submitted_report.pk, "certify"]), {"version": submitted_report.version}
    )
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.certified_by == curator


def test_reopen_via_view_needs_reason(client, methodist, approved_report):
    client.force_login(methodist)
    url = reverse("roadmaps:report-action", args=[approved_report.pk, "reopen"])
    response = client.post(url, {"reason": ""})
    assert "Укажите причину" in _messages(response)[0]
    client.post(url, {"reason": "Неверное число участников", "version": approved_report.version})
    approved_report.refresh_from_db()
    assert approved_report.status == ReportStatus.RETURNED


def test_history_lists_transitions_and_field_changes(client, director, methodist, submitted_report):
    services.report_return(
        report=submitted_report, user=methodist, comment="Уточните число участников", version=submitted_report.version
    )
    fill_lines(submitted_report, director, participants=15)
    client.force_login(director)
    html = client.get(reverse("roadmaps:report-detail", args=[submitted_report.pk])).content.decode()
    assert "Возвращён на доработку" in html
    assert "Комментарий: Уточните число участников" in html
    assert "участников: 12 → 15" in html
    assert methodist.short_name in html


# Lists, board, dashboards --------------------------------------------------------------------------


def test_report_list_scoped(client, director, report, other_school):
    other = f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=other_school), year=2021, quarter=1)
    client.force_login(director)
    response = client.get(reverse("roadmaps:report-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("roadmaps:report-detail", args=[report.pk]) in html
    assert reverse("roadmaps:report-detail", args=[other.pk]) not in html
    assert client.post(reverse("roadmaps:report-list")).status_code == 405


def test_review_queue_lists_submitted_reports(client, methodist, submitted_report):
    client.force_login(methodist)
    html = client.get(reverse("roadmaps:report-list") + "?status=submitted").content.decode()
    assert "Отчёты на проверке" in html
    assert submitted_report.roadmap.school.name in html


def test_status_board_forbidden_for_director(client, director):
    client.force_login(director)
    assert client.get(reverse("roadmaps:status-board")).status_code == 403


def _schools_with_reports(municipality, n: int, year: int, quarter: int) -> None:
    """n schools: a quarter of each status, deterministic."""
    academic_year = quarter_academic_year(year, quarter)
    for i in range(n):
        school = f.SchoolFactory(municipality=municipality)
        f.RegistryEntryFactory(school=school, academic_year=academic_year, included_on=dt.date(academic_year, 9, 1))
        roadmap = f.RoadmapFactory(school=school, academic_year=academic_year)
        status = ["draft", "submitted", "returned", "approved", None][i % 5]
        if status:
            f.QuarterlyReportFactory(roadmap=roadmap, year=year, quarter=quarter, status=status)


def _render_panels(user) -> str:
    """The roadmaps panels of the home page, computed and rendered (the query count we bound)."""
    from django.template.loader import render_to_string

    from core.models import User
    from roadmaps.dashboard import panels

    user = User.objects.get(pk=user.pk)  # a fresh object: memberships are loaded inside the bound
    return "".join(render_to_string(p["template"], {"panel": p}) for p in panels(user))


@pytest.mark.parametrize("n", [5, 50])
def test_methodist_dashboard_counts_with_bounded_queries(
    client, methodist, municipality, quarter, n, django_assert_max_num_queries
):
    year, q = quarter
    _schools_with_reports(municipality, n, year, q)
    with django_assert_max_num_queries(6):
        html = _render_panels(methodist)
    assert "Квартальные отчёты ОО" in html
    client.force_login(methodist)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p["template"] == "roadmaps/panels/methodist.html")
    counts = {c["key"]: c["count"] for c in panel["counts"]}
    per = n // 5
    assert counts == {"not_started": per, "draft": per, "submitted": per, "returned": per, "approved": per, "late": 0}


@pytest.mark.parametrize("n", [5, 50])
def test_coordinator_dashboard_per_municipality_bounded(
    client, coordinator, region, quarter, n, django_assert_max_num_queries
):
    year, q = quarter
    m1 = f.MunicipalityFactory(region=region)
    m2 = f.MunicipalityFactory(region=region)
    _schools_with_reports(m1, n, year, q)
    _schools_with_reports(m2, 5, year, q)
    with django_assert_max_num_queries(4):
        html = _render_panels(coordinator)
    assert "Сдача квартальных отчётов по муниципалитетам" in html
    client.force_login(coordinator)
    response = client.get(reverse("portal:home"))
    panel = next(p for p in response.context["panels"] if p["template"] == "roadmaps/panels/coordinator.html")
    rows = {row.municipality.pk: row for row in panel["table"]}
    assert rows[m1.pk].total == n
    assert rows[m1.pk].counts["approved"] == n // 5
    assert rows[m2.pk].cells == [1, 1, 1, 1, 1, 0]
    assert panel["total"] == n + 5


def test_late_status_after_deadline(client, methodist, municipality):
    school = f.SchoolFactory(municipality=municipality)
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status="draft")
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:status-board") + "?period=2021-Q1")
    assert response.status_code == 200
    statuses = response.context["statuses"]
    assert [(s.school, s.key, s.label) for s in statuses] == [(school, "late", "просрочен")]


def test_director_dashboard_shows_current_report_and_deadline(client, director, report):
    client.force_login(director)
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("roadmaps:report-detail", args=[report.pk]) in html
    assert report.bounds[1].strftime("%d.%m") in html or "Срок сдачи" in html


# Roadmaps ---------------------------------------------------------------------------------------


def test_director_adds_activity_from_catalogue(client, director, roadmap):
    client.force_login(director)
    kind = f.activity_type("motivation-01")
    response = client.post(
        reverse("roadmaps:activity-add", args=[roadmap.pk]),
        {
            "direction": kind.direction_id,
            "activity_type": kind.pk,
            "title": "",
            "form": "анкетирование",
            "due_on": f"15.03.{roadmap.academic_year + 1}",
            "responsible": "Педагог-психолог",
            "expected_result": "Выявлены причины",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(roadmap=roadmap, activity_type=kind)
    assert activity.title == "Диагностика причин низкой мотивации"


def test_activity_type_from_other_direction_is_refused(client, director, roadmap):
    client.force_login(director)
    response = client.post(
        reverse("roadmaps:activity-add", args=[roadmap.pk]),
        {
            "direction": f.direction("parents").pk,
            "activity_type": f.activity_type("motivation-01").pk,
            "due_on": "2021-03-15",
        },
    )
    assert response.status_code == 200
    assert "относится к направлению «Повышение мотивации обучающихся»" in response.content.decode()


def test_activity_add_forbidden_for_curator_and_404_for_outsider(client, curator, outsider_director, roadmap):
    url = reverse("roadmaps:activity-add", args=[roadmap.pk])
    client.force_login(curator)
    assert client.get(url).status_code == 403
    client.force_login(outsider_director)
    assert client.get(url).status_code == 404


def test_roadmap_detail_access(client, director, outsider_director, head, roadmap):
    url = reverse("roadmaps:roadmap-detail", args=[roadmap.pk])
    client.force_login(director)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    client.force_login(head)
    assert client.get(url).status_code == 200
    client.force_login(outsider_director)
    assert client.get(url).status_code == 404


def test_roadmap_workflow_via_views(client, director, methodist, curator, roadmap):
    client.force_login(director)
    client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "submit"]), {"version": roadmap.version})
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.SUBMITTED
    assert client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "approve"])).status_code == 403
    client.force_login(methodist)
    response = client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "return"]), {"comment": ""})
    assert "без замечания вернуть дорожную карту нельзя" in _messages(response)[0]
    roadmap.refresh_from_db()
    client.post(
        reverse("roadmaps:roadmap-action", args=[roadmap.pk, "return"]),
        {"comment": "Добавьте ВСОКО", "version": roadmap.version},
    )
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.RETURNED
    client.force_login(director)
    client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "submit"]), {"version": roadmap.version})
    client.force_login(methodist)
    roadmap.refresh_from_db()
    client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "approve"]), {"version": roadmap.version})
    client.force_login(curator)
    roadmap.refresh_from_db()
    client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "certify"]), {"version": roadmap.version})
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.certified_by) == (RoadmapStatus.APPROVED, curator)
    assert list(roadmap.transitions.values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "approve",
        "certify",
    ]


def test_copy_from_last_year(client, director, school):
    old = f.RoadmapFactory(school=school, academic_year=2020)
    f.ActivityFactory(roadmap=old, due_on=dt.date(2021, 3, 31), starts_on=dt.date(2020, 2, 29))
    f.ActivityFactory(roadmap=old, activity_type=None, title="Своё", due_on=dt.date(2020, 12, 25))
    services.roadmap_copy_from_previous(school=school, academic_year=2021, user=director)
    new = Roadmap.objects.get(school=school, academic_year=2021)
    assert sorted(new.activities.values_list("title", "due_on")) == [
        ("Курсы повышения квалификации", dt.date(2022, 3, 31)),
        ("Своё", dt.date(2021, 12, 25)),
    ]
    assert new.activities.get(title="Курсы повышения квалификации").starts_on == dt.date(2021, 2, 28)


def test_copy_without_previous_year_says_so(client, director, school):
    client.force_login(director)
    response = client.post(
        reverse("roadmaps:roadmap-create"), {"school": school.pk, "academic_year": 2021, "copy": "1"}
    )
    assert "Дорожной карты на 2020/2021 учебный год нет — копировать нечего." in _messages(response)
    assert client.get(reverse("roadmaps:roadmap-create")).status_code == 405


def test_roadmap_create_outsider_404(client, outsider_director, school):
    client.force_login(outsider_director)
    assert client.post(reverse("roadmaps:roadmap-create"), {"school": school.pk}).status_code == 404


def test_roadmap_create_by_curator_403(client, curator, school):
    client.force_login(curator)
    assert client.post(reverse("roadmaps:roadmap-create"), {"school": school.pk}).status_code == 403


def test_report_start_via_view(client, director, roadmap, quarter):
    client.force_login(director)
    year, q = quarter
    response = client.post(reverse("roadmaps:report-start", args=[roadmap.pk]), {"year": year, "quarter": q})
    report = QuarterlyReport.objects.get(roadmap=roadmap)
    assert response.url == reverse("roadmaps:report-detail", args=[report.pk])
    assert report.lines.count() == 3


def test_status_board_for_coordinator_bounded_queries(
    client, coordinator, region, quarter, django_assert_max_num_queries
):
    year, q = quarter
    _schools_with_reports(f.MunicipalityFactory(region=region), 50, year, q)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("roadmaps:status-board") + f"?period={year}-Q{q}&status=approved")
    assert response.status_code == 200
    assert len(response.context["statuses"]) == 10
    assert response.context["total"] == 50
    assert client.post(reverse("roadmaps:status-board")).status_code == 405


def test_report_list_bounded_queries(client, methodist, municipality, quarter, django_assert_max_num_queries):
    year, q = quarter
    _schools_with_reports(municipality, 50, year, q)
    client.force_login(methodist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("roadmaps:report-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 40
    assert len(response.context["page"].object_list) == 25


def test_school_card_section_lists_roadmaps_and_reports(client, director, report, school):
    client.force_login(director)
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="roadmaps"' in html
    assert reverse("roadmaps:report-detail", args=[report.pk]) in html
    assert reverse("roadmaps:roadmap-detail", args=[report.roadmap.pk]) in html


def test_navigation_items(client, director, methodist):
    client.force_login(director)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("roadmaps:roadmap-list")}"' in html
    assert f'href="{reverse("roadmaps:report-list")}"' in html


def test_coordinator_sets_region_deadline(client, coordinator, region, methodist, other_school):
    from roadmaps.models import QuarterDeadline

    url = reverse("roadmaps:deadline-update")
    client.force_login(coordinator)
    response = client.post(url, {"region": region.pk, "period": "2021-Q1", "deadline": "05.04.2021"})
    assert response.status_code == 302
    assert QuarterDeadline.objects.get(region=region, year=2021, quarter=1).deadline.isoformat() == "2021-04-05"
    response = client.post(url, {"region": region.pk, "period": "2021-Q1", "deadline": "05.09.2021"})
    assert _messages(response)[-1] == (
        "Срок сдачи отчёта за 1 квартал 2021 г. должен быть не раньше 01.03.2021 и не позже 29.06.2021."
    )
    # Another region: 404; a methodist: 404 too (no region of their own); GET: 405.
    assert (
        client.post(
            url, {"region": other_school.municipality.region.pk, "period": "2021-Q1", "deadline": "05.04.2021"}
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 405
    client.force_login(methodist)
    assert client.post(url, {"region": region.pk, "period": "2021-Q1", "deadline": "05.04.2021"}).status_code == 404


def test_roadmap_page_with_40_activities_bounded_queries(client, director, school, django_assert_max_num_queries):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    types = ["teachers-09", "teachers-05", "motivation-01", "parents-01", "failure-03"]
    for n in range(40):
        f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type(types[n % 5]), due_on=dt.date(2021, 3, 1))
    f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1)
    client.force_login(director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("roadmaps:roadmap-detail", args=[roadmap.pk]))
    assert response.status_code == 200
    assert response.context["activity_total"] == 40
    assert [len(d["activities"]) for d in response.context["directions"]] == [16, 8, 8, 8]


def test_director_post_after_deadline_is_refused_and_page_is_read_only(client, director, school, methodist):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    f.ActivityFactory(roadmap=roadmap)
    report = services.report_create(roadmap=roadmap, year=2021, quarter=1, user=methodist)
    client.force_login(director)
    response = client.post(reverse("roadmaps:report-detail", args=[report.pk]), _line_post(report))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Срок сдачи отчёта за 1 квартал 2021 г. истёк 10.04.2021" in html
    assert 'name="version"' not in html and "js-line-status" not in html
    assert not report.lines.exclude(status="").exists()
