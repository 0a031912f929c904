"""Faults around the worker and the database: a pool child killed mid-render, a PostgreSQL restart,
and the content security policy the pages are served with.

- Killed worker: a real `celery worker --pool=prefork --concurrency=1` (tests/hardening/gated_worker.py:
  the production app, with the first render held at step 1 so it can be killed at a known point)
  receives «Сформировать» through Redis; the test SIGKILLs the pool child that is rendering. Celery
  requeues the message (`acks_late` + `reject_on_worker_lost` on reference_render), a new child takes
  it, `job_claim` lets the redelivery of the same task id take over the job the dead child left
  «выполняется», and exactly one version with one whole PDF comes out.
- PostgreSQL restart: the portal's own server process is ended with `pg_terminate_backend` from a
  separate connection between two requests through Django's WSGI handler (what gunicorn calls; the
  test client skips the per-request connection check); CONN_HEALTH_CHECKS makes the next request
  reconnect.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.urls import reverse

from tests import factories as f
from tests.conftest import redis_available, require_service, running_celery_worker, wait_until

# --- The job claim: redelivery, duplicates, a render that keeps killing its worker ---------------------


@pytest.fixture
def version(db):
    from reports.models import ReferenceVersion, RenderJob

    school = f.SchoolFactory()
    methodist = f.user_with_role("methodist", municipality=school.municipality)
    reference = f.reference(municipality=school.municipality, created_by=methodist)
    from reports import services

    # In a `db` test the on-commit hook that sends the task never runs: the test plays the deliveries.
    version = services.reference_generate(reference=reference, user=methodist)
    assert RenderJob.objects.get(version=version).status == "queued"
    return ReferenceVersion.objects.get(pk=version.pk)


def test_redelivery_of_the_same_task_takes_over_a_job_its_dead_worker_left_running(version):
    from reports.models import RenderJob
    from reports.services import job_claim

    assert job_claim(version_pk=version.pk, task_id="task-a")
    # A different message for the same version (a double click, a manual resend) while it runs: skipped.
    assert not job_claim(version_pk=version.pk, task_id="task-b")
    assert not job_claim(version_pk=version.pk, task_id="")
    # The broker hands task-a out again only when its worker died: it takes the job over.
    assert job_claim(version_pk=version.pk, task_id="task-a")
    job = RenderJob.objects.get(version=version)
    assert (job.status, job.attempts, job.task_id) == ("running", 2, "task-a")


def test_a_render_that_keeps_killing_its_worker_is_failed_with_a_message_and_can_be_retried(client, version):
    from reports.models import RenderJob
    from reports.services import jobs

    for _ in range(jobs.MAX_ATTEMPTS):
        assert jobs.job_claim(version_pk=version.pk, task_id="task-a")
    assert not jobs.job_claim(version_pk=version.pk, task_id="task-a")
    job = RenderJob.objects.get(version=version)
    assert job.status == "failed"
    assert job.message.startswith(f"Формирование справки прерывалось {jobs.MAX_ATTEMPTS} раза")
    assert job.finished_at is not None

    user = version.reference.created_by
    client.force_login(user)
    page = client.get(reverse("reports:detail", args=[version.reference.pk])).content.decode()
    assert "Формирование справки прерывалось" in page and "Повторить" in page
    # «Повторить» starts a fresh count.
    jobs.job_retry(job=job, user=user)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == ("queued", 0, "")
    assert jobs.job_claim(version_pk=version.pk, task_id="task-c")


def test_a_finished_job_delivered_again_is_not_rendered_again(version):
    from reports.models import ReferenceVersion, RenderJob
    from reports.tasks import reference_render

    first = reference_render.apply(args=[version.pk], task_id="task-a").get()
    assert first == "rendered"
    done = ReferenceVersion.objects.get(pk=version.pk)
    job = RenderJob.objects.get(version=version)
    assert job.status == "done" and job.attempts == 1
    # The same message again (a redelivery after it finished) and another message: both skipped.
    assert reference_render.apply(args=[version.pk], task_id="task-a").get() == "skipped"
    assert reference_render.apply(args=[version.pk], task_id="task-b").get() == "skipped"
    again = ReferenceVersion.objects.get(pk=version.pk)
    assert again.rendered_at == done.rendered_at and again.pdf_sha256 == done.pdf_sha256
    assert RenderJob.objects.get(version=version).attempts == 1


# --- Workbook jobs that crash for good: failed, with the message on the job page -----------------------

OO_HEADER = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]


def test_import_crashing_after_rows_were_written_is_failed_visibly_and_nothing_stays(client, monkeypatch, municipality):
    """test_faults.py covers the check step; this is the real import, crashing mid-way through the
    transaction (after the sheet's rows were written): rolled back, failed, the user told so."""
    from django.core.files.base import ContentFile

    from core.models import ImportJob
    from core.workbook import runner
    from schools.models import School
    from tests.fixtures.workbooks import make_workbook

    admin = f.user_with_role("admin")
    data = make_workbook({"ОО": [OO_HEADER, ["N1", "МОУ «Новая СОШ»", municipality.code, "СОШ", "", 10, 100, "нет"]]})
    job = ImportJob(
        requested_by=admin,
        kind=ImportJob.Kind.IMPORT,
        status=ImportJob.Status.IMPORT_QUEUED,
        original_name="книга.xlsx",
    )
    job.file.save("k.xlsx", ContentFile(data), save=False)
    job.save()
    real_run_sheet = runner._run_sheet
    written: list[bool] = []

    def run_sheet_then_crash(importer, ws, ctx, result):
        real_run_sheet(importer, ws, ctx, result)
        written.append(School.objects.filter(code="N1").exists())
        raise RuntimeError("worker ran out of memory")

    monkeypatch.setattr(runner, "_run_sheet", run_sheet_then_crash)
    from core.tasks import import_run_task

    import_run_task(job.pk)
    assert written == [True]  # the crash came after the row was in the database
    assert not School.objects.filter(code="N1").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == (
        f"Внутренняя ошибка при импорте; ничего не записано. Сообщите администратору (задание №{job.pk})."
    )
    client.force_login(admin)
    assert job.message in client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()


def test_template_build_crash_is_failed_with_a_visible_message(client, monkeypatch, db):
    from core import tasks
    from core.models import ImportJob
    from core.services import imports

    admin = f.user_with_role("admin")
    job = ImportJob.objects.create(requested_by=admin, kind=ImportJob.Kind.TEMPLATE, status=ImportJob.Status.QUEUED)

    def crash(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(imports, "template_build", crash)
    tasks.template_build_task(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == f"Внутренняя ошибка при формировании шаблона (задание №{job.pk})."
    client.force_login(admin)
    assert job.message in client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()


# --- A real worker whose pool child is killed in the middle of a render ---------------------------------


@dataclass(frozen=True)
class GatedWorker:
    queue: str
    process: subprocess.Popen
    log: Path
    gate: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


@pytest.fixture(scope="module")
def _gated_worker_process(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[GatedWorker]:
    """`celery -A tests.hardening.gated_worker worker --pool=prefork --concurrency=1` on its own queue."""
    from django.db import connection

    from bench.worker import database_url_of

    with django_db_blocker.unblock():
        require_service("PostgreSQL (DATABASE_URL=postgres://…)", connection.vendor == "postgresql")
        database_url = database_url_of(connection.settings_dict)
    require_service("Redis (REDIS_URL) for the Celery worker", redis_available())

    queue = f"fault-{uuid.uuid4().hex[:12]}"
    gate = tmp_path_factory.mktemp("gate")
    log = tmp_path_factory.mktemp("celery-fault") / "worker.log"
    with running_celery_worker(
        app="tests.hardening.gated_worker",
        pool=["--pool=prefork", "--concurrency=1"],
        queue=queue,
        log=log,
        database_url=database_url,
        extra_env={"PORTAL_FAULT_GATE_DIR": str(gate)},
        own_group=True,  # a child still held at the gate (its test failed before the kill) goes too
    ) as process:
        yield GatedWorker(queue=queue, process=process, log=log, gate=gate)


@pytest.fixture
def gated_worker(catalogues, transactional_db, _gated_worker_process) -> Iterator[GatedWorker]:
    from portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = _gated_worker_process.queue
    yield _gated_worker_process
    app.conf.task_always_eager, app.conf.task_default_queue = previous


def _held_pid(gate: Path, name: str = "held") -> int | None:
    """The pid a gated pool child wrote to `gate/name` when it stopped to be killed (gated_worker.py)."""
    text = (gate / name).read_text() if (gate / name).exists() else ""
    return int(text) if text.strip().isdigit() else None


def _parent_of(pid: int) -> int:
    # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ")".
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.postgres
@pytest.mark.worker
def test_pool_child_killed_mid_render_the_job_runs_again_and_yields_exactly_one_pdf(gated_worker):
    from pypdf import PdfReader

    from bench import synthetic
    from core.models import User
    from reports import services
    from reports.models import ReferenceVersion, RenderJob
    from reports.tasks import reference_render

    started = time.monotonic()
    spec = synthetic.build(schools=3, activities=2, quarters=1)
    coordinator = User.objects.get(username=synthetic.coordinator_username(spec.region_code))
    reference = services.reference_create(
        user=coordinator,
        template="roadmap-monitoring",
        scope_kind="region",
        scope_code=spec.region_code,
        date_from=spec.date_from,
        date_to=spec.date_to,
    )
    version = services.reference_generate(reference=reference, user=coordinator)  # queued on commit

    pid = wait_until(lambda: _held_pid(gated_worker.gate), seconds=30, what="no render started", worker=gated_worker)
    job = RenderJob.objects.get(version=version)
    assert (job.status, job.progress_done, job.attempts) == ("running", 1, 1), (
        job.status,
        job.progress_done,
        job.message,
    )
    assert job.message == "Формирование PDF"
    first_task = job.task_id
    assert ReferenceVersion.objects.get(pk=version.pk).pdf is None
    # The process rendering is a pool child of the worker, not the worker itself.
    assert pid != gated_worker.process.pid and _parent_of(pid) == gated_worker.process.pid

    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    job = wait_until(
        lambda: (j := RenderJob.objects.get(version=version)).status in ("done", "failed") and j,
        seconds=60,
        what="the job did not finish after the kill",
        worker=gated_worker,
    )
    recovered = time.monotonic() - killed_at
    assert job.status == "done", job.message
    assert job.attempts == 2 and job.task_id == first_task  # the same message, delivered a second time
    log = gated_worker.log_text()
    assert re.search(r"WorkerLostError|signal 9", log), gated_worker.log_tail()

    # Exactly one version, one job, one whole PDF.
    assert ReferenceVersion.objects.filter(reference=reference).count() == 1
    assert RenderJob.objects.filter(version__reference=reference).count() == 1
    done = ReferenceVersion.objects.get(pk=version.pk)
    pdf = bytes(done.pdf)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert done.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert done.pdf_pages == len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    assert bytes(done.xlsx).startswith(b"PK")

    # Another delivery of the finished job does not render it again.
    assert reference_render.apply_async(args=[version.pk]).get(timeout=30) == "skipped"
    again = ReferenceVersion.objects.get(pk=version.pk)
    assert again.rendered_at == done.rendered_at and again.pdf_sha256 == done.pdf_sha256
    assert RenderJob.objects.get(version=version).attempts == 2
    assert gated_worker.process.poll() is None, "the worker itself must survive its child's death"
    print(f"recovered {recovered:.1f} s after the kill, {time.monotonic() - started:.1f} s in all")


# --- PostgreSQL restart: the portal's connection is terminated between two requests ---------------------


def _wsgi_get(path: str, cookies: str = "") -> tuple[int, bytes]:
    """One request through Django's WSGI handler, as gunicorn makes it: request_started and
    request_finished run the per-request connection checks the test client turns off."""
    from django.core.handlers.wsgi import WSGIHandler

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver", "HTTP_COOKIE": cookies}
    setup_testing_defaults(environ)
    started: list[str] = []
    body = b"".join(WSGIHandler()(environ, lambda status, headers, exc_info=None: started.append(status)))
    return int(started[0].split()[0]), body


def _terminate_backend(pid: int) -> None:
    """End one server process from a connection of its own, as a server restart does."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg2.connect(**params)
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
            for _ in range(50):  # the backend exits asynchronously
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
    finally:
        other.close()


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def logged_in_cookie(client, transactional_db, settings):
    from django.db import connection

    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    school = f.SchoolFactory()
    client.force_login(f.user_with_role("director", school=school))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.postgres
def test_after_a_postgres_restart_the_next_request_reconnects(logged_in_cookie):
    from django.db import connection

    home = reverse("portal:home")
    status, body = _wsgi_get(home, logged_in_cookie)
    assert status == 200
    assert connection.connection is not None, "CONN_MAX_AGE keeps the connection between requests"
    killed = _backend_pid()

    _terminate_backend(killed)

    status, body = _wsgi_get(home, logged_in_cookie)
    assert status == 200, body[:500]
    assert "Выйти" in body.decode()
    assert _backend_pid() != killed
    status, body = _wsgi_get("/health/")
    assert json.loads(body)["database"] == "ok"


@pytest.mark.postgres
def test_without_health_checks_the_same_restart_breaks_the_next_request(logged_in_cookie):
    """The control: the fault is real, and CONN_HEALTH_CHECKS is what survives it."""
    from django.db import connection

    home = reverse("portal:home")
    connection.close()
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        assert _wsgi_get(home, logged_in_cookie)[0] == 200
        _terminate_backend(_backend_pid())
        status, body = _wsgi_get(home, logged_in_cookie)
        # The portal's own 500 page (it needs no database), not an exception escaping to gunicorn.
        assert status == 500 and "Внутренняя ошибка" in body.decode()
    finally:
        connection.close()
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    assert _wsgi_get(home, logged_in_cookie)[0] == 200


def test_the_500_page_needs_no_database(rf, director, django_assert_num_queries):
    """Even for a signed-in user (whose menu would need the memberships) the 500 page queries nothing."""
    from portal.views import error_500

    request = rf.get("/")
    request.user = director
    with django_assert_num_queries(0):
        response = error_500(request)
    assert response.status_code == 500
    assert "Внутренняя ошибка" in response.content.decode()


# --- Content security policy: only the portal's own static files ---------------------------------------

# What each directive may allow: the portal's own origin, nothing, and data: images (inline SVG charts, QR).
ALLOWED_SOURCES = {"'self'", "'none'"}
ALLOWED_EXTRA = {"img-src": {"data:"}}


def _policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class _Assets(HTMLParser):
    """Everything in a page that a browser loads or runs: script and style sources, inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"inline handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style= on <{tag}>: {value}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag == "script":
            src = a.get("src")
            if src is not None and not src.startswith("/static/"):
                self.problems.append(f"script from {src}")
            self._script = None if src is not None or a.get("type") == "application/json" else ""
        elif tag == "style":
            self.problems.append("<style> element")
        elif tag == "link" and {"stylesheet", "icon", "preload"} & set((a.get("rel") or "").split()):
            if not (a.get("href") or "").startswith("/static/"):
                self.problems.append(f"<link> to {a.get('href')}")
        elif tag == "img" and not (a.get("src") or "").startswith(("/static/", "/", "data:")):
            self.problems.append(f"image from {a.get('src')}")
        if tag in ("img", "script", "link", "iframe") and re.match(
            r"^(https?:)?//", a.get("src") or a.get("href") or ""
        ):
            self.problems.append(f"external {tag}: {a.get('src') or a.get('href')}")

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.problems.append(f"inline script: {self._script.strip()[:80]}")
            self._script = None


def test_csp_allows_only_the_portals_own_files_and_the_pages_need_nothing_else(client, school, director, methodist):

    reference = f.reference(municipality=school.municipality, created_by=methodist)
    pages = {
        None: ["/login/", "/no-such-page/"],
        director: [
            reverse("portal:home"),
            reverse("schools:school-list"),
            reverse("schools:school-detail", args=[school.pk]),
            reverse("roadmaps:roadmap-list"),
            reverse("roadmaps:report-list"),
        ],
        methodist: [
            reverse("portal:home"),
            reverse("schools:registry-list"),
            reverse("roadmaps:status-board"),
            reverse("monitoring:dynamics-municipality", args=[school.municipality.pk]),
            reverse("reports:list"),
            reverse("reports:detail", args=[reference.pk]),
            reverse("reports:edit", args=[reference.pk]),
        ],
    }
    checked = 0
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            policy = _policy(response["Content-Security-Policy"])
            assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"], url
            assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
            for directive, sources in policy.items():
                extra = set(sources) - ALLOWED_SOURCES - ALLOWED_EXTRA.get(directive, set())
                assert not extra, f"{url}: {directive} allows {extra}"
            assets = _Assets()
            assets.feed(response.content.decode())
            assert not assets.problems, f"{url}: {assets.problems}"
            checked += 1
    assert checked == 14
