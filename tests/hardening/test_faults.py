"""Faults: Redis (broker and cache) down, and a task that fails for good.

Redis down is simulated by pointing the Celery broker and the cache at a closed port
(redis://127.0.0.1:1/0) and turning eager execution off, in transactional tests so that the
`transaction.on_commit` hooks that queue tasks really run inside the request, as in production.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests import factories as f

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def redis_down(settings):
    """The broker and the cache point at a closed port; tasks are sent, not run in-process."""
    from portal.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = DOWN
    app.conf.task_always_eager = False
    _drop_connections(app)
    settings.REDIS_URL = DOWN
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DOWN,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    _drop_connections(app)


def _drop_connections(app) -> None:
    """Forget cached broker connections so the next send connects to the configured broker."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def scope(catalogues, transactional_db):
    school = f.SchoolFactory()
    f.RegistryEntryFactory(school=school)
    municipality = school.municipality
    return {
        "school": school,
        "methodist": f.user_with_role("methodist", municipality=municipality),
        "director": f.user_with_role("director", school=school),
    }


def _messages(response) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_pages_still_serve_with_redis_down(client, scope, redis_down):
    client.force_login(scope["director"])
    for url in (
        reverse("portal:home"),
        reverse("schools:school-list"),
        reverse("schools:school-detail", args=[scope["school"].pk]),
    ):
        started = time.monotonic()
        response = client.get(url)
        assert response.status_code == 200, url
        assert time.monotonic() - started < 10, url


def test_health_is_503_naming_the_broker(client, db, redis_down):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error: ")


def test_coverage_recompute_with_redis_down_says_unavailable_not_500(client, scope, redis_down):
    client.force_login(scope["methodist"])
    client.raise_request_exception = False
    response = client.post(
        reverse("coverage:refresh"),
        {"date_from": "2020-09-01", "date_to": "2021-06-30"},
    )
    assert response.status_code == 302, response.status_code
    # Nothing could be sent, so the snapshot was computed in the request, and the page says so.
    assert "Пересчёт запущен" not in _messages(response)
    assert "данные пересчитаны сразу" in _messages(response)
    from monitoring.models import CoverageSnapshot

    assert CoverageSnapshot.objects.filter(date_from="2020-09-01", date_to="2021-06-30").exists()


def test_reference_generation_with_redis_down_says_unavailable_not_500(client, scope, redis_down):
    from reports.models import JobStatus, RenderJob

    reference = f.reference(municipality=scope["school"].municipality, created_by=scope["methodist"])
    client.force_login(scope["methodist"])
    client.raise_request_exception = False
    response = client.post(reverse("reports:generate", args=[reference.pk]), {"version": reference.version})
    assert response.status_code == 302, response.status_code
    text = _messages(response)
    assert "очеред" in text or "недоступ" in text, text
    job = RenderJob.objects.get(version__reference=reference)
    # queued (a worker picks it up when Redis is back, or «Повторить» after 10 minutes) or failed with a message
    assert job.status in (JobStatus.QUEUED, JobStatus.FAILED)


def test_workbook_upload_with_redis_down_is_kept_queued_not_500(client, scope, redis_down):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob
    from tests.fixtures.workbooks import make_workbook

    admin = f.user_with_role("admin")
    client.force_login(admin)
    client.raise_request_exception = False
    data = make_workbook({"ОО": [["Код ОО"]]})
    response = client.post(reverse("portal:import-list"), {"file": SimpleUploadedFile("книга.xlsx", data)})
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    page = client.get(response["Location"])
    assert page.status_code == 200


def test_report_approval_with_redis_down_is_saved_and_not_500(client, scope, redis_down):
    """The e-mail about the transition is queued after the commit; a dead broker must not turn the
    saved approval into an error page."""
    report = f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=scope["school"]), status="submitted")
    f.ActivityReportFactory(report=report)
    client.force_login(scope["methodist"])
    client.raise_request_exception = False
    response = client.post(
        reverse("roadmaps:report-action", args=[report.pk, "approve"]),
        {"comment": "Принято", "version": report.version},
    )
    assert response.status_code == 302, response.status_code
    assert "Отчёт утверждён." in _messages(response)
    report.refresh_from_db()
    assert report.status == "approved"


# --- A task that fails for good: the job is marked failed with a message the user sees -------------


@pytest.mark.django_db
def test_reference_render_crash_marks_the_job_failed_with_a_visible_message(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import services
    from reports.models import JobStatus

    school = f.SchoolFactory()
    methodist = f.user_with_role("methodist", municipality=school.municipality)
    reference = f.reference(municipality=school.municipality, created_by=methodist)

    def crash(**kwargs):
        raise RuntimeError("chromium crashed")

    monkeypatch.setattr(services, "version_render", crash)
    client.force_login(methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generate", args=[reference.pk]), {"version": reference.version})
    assert response.status_code == 302
    job = reference.versions.get().job
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Не удалось сформировать PDF справки из-за внутренней ошибки.")
    # The user sees it: on the polled job state and on the reference page, with «Повторить».
    state = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert "Не удалось сформировать PDF справки" in str(state)
    page = client.get(reverse("reports:detail", args=[reference.pk])).content.decode()
    assert "Не удалось сформировать PDF справки" in page and "Повторить" in page


@pytest.mark.django_db
def test_import_crash_marks_the_job_failed_with_a_visible_message(client, monkeypatch, settings):
    from django.core.files.base import ContentFile

    from core import tasks
    from core.models import ImportJob
    from core.services import imports

    admin = f.user_with_role("admin")
    job = ImportJob(
        requested_by=admin, kind=ImportJob.Kind.IMPORT, status=ImportJob.Status.QUEUED, original_name="книга.xlsx"
    )
    job.file.save("k.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()

    def crash(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(imports, "run_import", crash)
    tasks.import_check_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == f"Внутренняя ошибка при проверке файла. Сообщите администратору (задание №{job.pk})."
    client.force_login(admin)
    page = client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()
    assert job.message in page
