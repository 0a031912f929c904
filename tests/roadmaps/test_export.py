"""Export of quarterly report lines to Excel: the file (columns, escaping, dates, re-import) and the
job pages (scope, roles, methods)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.workbook import run_import
from roadmaps.exports import COLUMNS, report_lines_export
from roadmaps.models import ReportExportJob
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = [
    "Код ОО",
    "Квартал",
    "Направление",
    "Вид мероприятия",
    "Мероприятие",
    "Срок",
    "Статус",
    "Результат",
    "Наименование ОО",
    "Муниципалитет",
    "Статус отчёта",
]


@pytest.fixture
def lines(school, other_school):
    """Three lines of `school` (two in 2021-Q1, one in 2021-Q2) and one of `other_school`."""
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    q1 = f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status="approved")
    q2 = f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=2, status="draft")
    formula = f.ActivityFactory(
        roadmap=roadmap, title='=HYPERLINK("http://evil.example","жми")', due_on=dt.date(2021, 3, 31), order=1
    )
    own = f.ActivityFactory(
        roadmap=roadmap, activity_type=None, title="Собственное мероприятие школы", due_on=dt.date(2021, 2, 15), order=2
    )
    later = f.ActivityFactory(
        roadmap=roadmap, activity_type=f.activity_type("parents-02"), due_on=dt.date(2021, 6, 30), order=3
    )
    f.ActivityReportFactory(report=q1, activity=formula, status="done", result="+7 педагогов\x07 прошли курсы")
    f.ActivityReportFactory(report=q1, activity=own, status="not_done", result="", reason="Болезнь ответственного")
    f.ActivityReportFactory(report=q2, activity=later, status="in_progress", result="@школа: идёт подготовка")
    f.ActivityReportFactory(
        report=f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=other_school), status="approved"),
        result="Чужая строка",
    )
    return {"formula": formula, "own": own, "later": later}


def read(path) -> list[list]:
    ws = load_workbook(path)["Мероприятия"]
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def expected_rows(school, lines) -> list[list]:
    teachers = lines["formula"].activity_type
    parents = lines["later"].activity_type
    name, municipality = school.name, school.municipality.name
    return [
        [
            school.code,
            "2021-Q1",
            teachers.direction.name,
            teachers.name,
            '\'=HYPERLINK("http://evil.example","жми")',
            dt.datetime(2021, 3, 31),
            "выполнено",
            "'+7 педагогов прошли курсы",
            name,
            municipality,
            "утверждён",
        ],
        [
            school.code,
            "2021-Q1",
            lines["own"].direction.name,
            None,
            "Собственное мероприятие школы",
            dt.datetime(2021, 2, 15),
            "не выполнено",
            "Болезнь ответственного",
            name,
            municipality,
            "утверждён",
        ],
        [
            school.code,
            "2021-Q2",
            parents.direction.name,
            parents.name,
            lines["later"].title,
            dt.datetime(2021, 6, 30),
            "в работе",
            "'@школа: идёт подготовка",
            name,
            municipality,
            "черновик",
        ],
    ]


def test_columns_are_the_contract_sheet_plus_three():
    assert list(COLUMNS) == HEADER


def test_file_holds_exactly_the_lines_of_the_schools_in_order(tmp_path, school, lines, django_assert_max_num_queries):
    path = tmp_path / "out.xlsx"
    with django_assert_max_num_queries(1):  # one streamed SELECT, no per-row queries
        count = report_lines_export(path=path, schools=[school.pk])
    assert count == 3
    rows = read(path)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(school, lines)


def test_period_bounds_are_inclusive(tmp_path, school, lines):
    path = tmp_path / "q1.xlsx"
    assert report_lines_export(path=path, schools=[school.pk], period_from=(2021, 1), period_to=(2021, 1)) == 2
    assert [r[1] for r in read(path)[1:]] == ["2021-Q1", "2021-Q1"]
    assert report_lines_export(path=path, schools=[school.pk], period_from=(2021, 2), period_to=(2022, 4)) == 1
    assert report_lines_export(path=path, schools=[school.pk], period_from=(2020, 1), period_to=(2020, 4)) == 0
    assert read(path) == [HEADER]


def test_formula_like_text_is_stored_as_text_and_dates_as_dates(tmp_path, school, lines):
    path = tmp_path / "out.xlsx"
    report_lines_export(path=path, schools=[school.pk])
    ws = load_workbook(path)["Мероприятия"]
    title, result, due = ws["E2"], ws["H2"], ws["F2"]
    assert title.data_type == "s" and title.value.startswith("'=")
    assert result.data_type == "s" and "\x07" not in result.value
    assert ws["H4"].data_type == "s" and ws["H4"].value.startswith("'@")
    assert due.is_date and due.number_format == "DD.MM.YYYY"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_exported_file_imports_back_without_errors_or_changes(tmp_path, school, lines):
    path = tmp_path / "out.xlsx"
    report_lines_export(path=path, schools=[school.pk], period_from=(2021, 1), period_to=(2021, 1))
    result = run_import(io.BytesIO(path.read_bytes()), by_command=True, dry_run=True)
    assert result.error_lines() == []
    # The same activities and lines are found again: nothing created; the only change is the line
    # whose result held a control character, which the file cannot carry.
    assert result.created == 0
    assert [(c.row, c.action) for c in result.changes] == [(2, "update")]
    assert "HYPERLINK" in result.changes[0].text


def test_clean_lines_round_trip_unchanged(tmp_path, school, lines):
    from roadmaps.models import ActivityReport

    ActivityReport.objects.filter(activity=lines["formula"]).update(result="+7 педагогов прошли курсы")
    path = tmp_path / "out.xlsx"
    report_lines_export(path=path, schools=[school.pk], period_from=(2021, 1), period_to=(2021, 1))
    result = run_import(io.BytesIO(path.read_bytes()), by_command=True, dry_run=True)
    assert result.error_lines() == []
    assert (result.created, result.updated, result.changes) == (0, 0, [])


# --- pages ---------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def export(client, user, captured, period_from="2021-Q1", period_to="2021-Q2"):
    login(client, user)
    with captured(execute=True):
        response = client.post(reverse("roadmaps:report-export"), {"period_from": period_from, "period_to": period_to})
    assert response.status_code == 302
    return ReportExportJob.objects.filter(requested_by=user).order_by("-pk").first()


@pytest.mark.parametrize("who, expected", [("methodist", 3), ("coordinator", 3), ("admin_user", 4)])
def test_export_job_covers_the_users_scope(request, client, who, expected, lines, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(who)
    job = export(client, user, django_capture_on_commit_callbacks)
    assert job.status == ReportExportJob.Status.DONE, job.message
    assert job.line_count == expected
    assert job.file.name.startswith("exports/")
    response = client.get(reverse("roadmaps:report-export-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert len(read(io.BytesIO(content))) == expected + 1


def test_export_page_lists_periods_and_jobs(client, methodist, lines, django_assert_max_num_queries):
    login(client, methodist)
    ReportExportJob.objects.create(requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=2)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("roadmaps:report-export"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 квартал 2021 г." in text and "2 квартал 2021 г." in text
    assert "1 кв. 2021 г. — 2 кв. 2021 г." in text
    assert "data-job-status" in text and "js/job.js" in text  # the queued job is polled


def test_report_list_shows_the_button_to_exporters_only(client, methodist, director, lines):
    url, label = reverse("roadmaps:report-list"), "Выгрузить отчёты ОО в Excel"
    assert label in login(client, methodist).get(url).content.decode()
    assert label not in login(client, director).get(url).content.decode()


@pytest.mark.parametrize("who", ["director", "head", "curator"])
def test_other_roles_get_403(request, client, who, methodist, lines):
    job = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1, status="done"
    )
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("roadmaps:report-export")).status_code == 403
    assert (
        client.post(reverse("roadmaps:report-export"), {"period_from": "2021-Q1", "period_to": "2021-Q1"}).status_code
        == 403
    )
    assert client.get(reverse("roadmaps:report-export-status", args=[job.pk])).status_code == 403
    assert client.get(reverse("roadmaps:report-export-download", args=[job.pk])).status_code == 403
    assert not ReportExportJob.objects.exclude(pk=job.pk).exists()


def test_another_users_job_is_404(client, methodist, lines, django_capture_on_commit_callbacks):
    job = export(client, methodist, django_capture_on_commit_callbacks)
    outsider = f.user_with_role("methodist", municipality=f.MunicipalityFactory())
    login(client, outsider)
    assert client.get(reverse("roadmaps:report-export-download", args=[job.pk])).status_code == 404
    assert client.get(reverse("roadmaps:report-export-status", args=[job.pk])).status_code == 404
    # An admin sees every school, yet not another user's file.
    login(client, f.user_with_role("admin"))
    assert client.get(reverse("roadmaps:report-export-download", args=[job.pk])).status_code == 404


def test_unfinished_job_has_no_download(client, methodist):
    job = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1
    )
    login(client, methodist)
    assert client.get(reverse("roadmaps:report-export-download", args=[job.pk])).status_code == 404
    status = client.get(reverse("roadmaps:report-export-status", args=[job.pk])).json()
    assert status == {
        "id": job.pk,
        "status": "queued",
        "status_label": "в очереди",
        "running": True,
        "done": False,
        "failed": False,
        "stale": False,
        "progress": {"done": 0, "total": 0},
        "percent": 0,
        "message": "",
    }


def test_wrong_methods_get_405(client, methodist):
    job = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1
    )
    login(client, methodist)
    assert client.put(reverse("roadmaps:report-export")).status_code == 405
    assert client.post(reverse("roadmaps:report-export-download", args=[job.pk])).status_code == 405
    assert client.post(reverse("roadmaps:report-export-status", args=[job.pk])).status_code == 405


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("roadmaps:report-export"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "period_from, period_to, message",
    [
        ("2021-Q2", "2021-Q1", "Начало периода позже его окончания."),
        ("2021-Q5", "2021-Q1", "Квартал начала периода должен быть от 1 до 4."),
        ("", "2021-Q1", "Выберите квартал начала и квартал окончания периода."),
    ],
)
def test_bad_period_is_refused(client, methodist, period_from, period_to, message):
    login(client, methodist)
    response = client.post(
        reverse("roadmaps:report-export"), {"period_from": period_from, "period_to": period_to}, follow=True
    )
    assert message in response.content.decode()
    assert not ReportExportJob.objects.exists()


def test_second_request_waits_for_the_running_one(client, methodist):
    ReportExportJob.objects.create(requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1)
    login(client, methodist)
    response = client.post(
        reverse("roadmaps:report-export"), {"period_from": "2021-Q1", "period_to": "2021-Q1"}, follow=True
    )
    assert "Предыдущая выгрузка ещё формируется" in response.content.decode()
    assert ReportExportJob.objects.count() == 1


def test_user_who_lost_the_role_gets_a_failed_job(methodist, lines):
    from roadmaps.services.exports import report_export_run

    job = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1
    )
    methodist.memberships.all().delete()
    job = report_export_run(job_id=job.pk)
    assert job.status == ReportExportJob.Status.FAILED
    assert "больше нет права" in job.message
    assert not job.file
    assert report_export_run(job_id=job.pk) is None  # a redelivered task does nothing


def test_a_stale_export_no_longer_blocks_a_new_one_and_is_failed_with_a_message(client, methodist, lines):
    from django.utils import timezone

    from core.jobs import EXPIRED_MESSAGE, STALE_QUEUED

    lost = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1
    )
    ReportExportJob.objects.filter(pk=lost.pk).update(queued_at=timezone.now() - STALE_QUEUED - dt.timedelta(minutes=1))
    login(client, methodist)
    assert 'type="submit">Сформировать файл' in client.get(reverse("roadmaps:report-export")).content.decode()
    response = client.post(
        reverse("roadmaps:report-export"), {"period_from": "2021-Q1", "period_to": "2021-Q1"}, follow=True
    )
    assert "поставлена в очередь" in response.content.decode()
    lost.refresh_from_db()
    assert lost.status == ReportExportJob.Status.FAILED and lost.message == str(EXPIRED_MESSAGE)
    assert ReportExportJob.objects.count() == 2


def test_a_redelivered_export_takes_over_and_writes_the_same_file_once(methodist, lines, settings, tmp_path):
    from types import SimpleNamespace

    from roadmaps.services.exports import report_export_run

    settings.MEDIA_ROOT = tmp_path
    job = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=2
    )
    # What a pool child killed mid-export leaves: the job running under its task id, a partial file.
    ReportExportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, task_id="task-a", started_at=dt.datetime.now(dt.UTC)
    )
    task = SimpleNamespace(request=SimpleNamespace(id="task-b", retries=0, is_eager=True))
    assert report_export_run(job_id=job.pk, task=task) is None  # another message: skipped
    task.request.id = "task-a"
    done = report_export_run(job_id=job.pk, task=task)
    assert (done.status, done.attempts, done.line_count) == ("done", 2, 3), done.message
    assert (done.progress_done, done.progress_total, done.percent) == (3, 3, 100)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [done.file.name]
    assert report_export_run(job_id=job.pk, task=task) is None  # finished: not written again
