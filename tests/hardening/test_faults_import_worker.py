"""A workbook import whose worker is killed mid-run: the redelivery takes the job over and writes once.

- Killed worker: a real `celery worker --pool=prefork --concurrency=1` (tests/hardening/gated_worker.py:
  the production app, with the first real import held after its first sheet was written, inside the
  import's still open transaction) checks and imports a workbook sent through Redis; the test SIGKILLs
  the pool child that is importing. Celery requeues the message (`acks_late` + `reject_on_worker_lost`
  on import_run_task), a new child takes it, `_claim` lets the redelivery of the same task id take over
  the job the dead child left «импорт выполняется», and every row of the workbook is written once.
- The claim without a worker: a redelivery takes over, another message and a finished job are skipped,
  and a job that keeps killing its worker is failed after MAX_ATTEMPTS with a message on its page.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tests.conftest import wait_until
from tests.fixtures.workbooks import make_workbook
from tests.hardening.test_faults_worker import (  # noqa: F401 - the worker fixtures are used by name
    _gated_worker_process,
    _held_pid,
    _parent_of,
    gated_worker,
)

OO_HEADER = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]
CODES = ("K1", "K2", "K3")


def _workbook(municipality) -> bytes:
    rows = [[code, f"МОУ «Школа {code}»", municipality.code, "СОШ", "", 10, 100, "нет"] for code in CODES]
    return make_workbook({"ОО": [OO_HEADER, *rows]})


def _job(status: str, municipality, **fields):
    from core.models import ImportJob

    job = ImportJob(
        requested_by=f.user_with_role("admin"),
        kind=ImportJob.Kind.IMPORT,
        status=status,
        original_name="книга.xlsx",
        **fields,
    )
    job.file.save("k.xlsx", ContentFile(_workbook(municipality)), save=False)
    job.save()
    return job


# --- The claim: redelivery, other messages, a job that keeps killing its worker ---------------------------


def test_redelivery_of_the_import_takes_over_the_job_its_dead_worker_left_and_writes_each_row_once(municipality):
    from core.models import ImportJob
    from core.tasks import import_run_task
    from schools.models import School

    # What a pool child killed mid-import leaves: the job «импорт выполняется» under its task id, no rows
    # (its transaction was never committed).
    job = _job(ImportJob.Status.IMPORTING, municipality, attempts=1, task_id="task-a")
    # Another message for the same job (a double click, a manual resend) while it runs: skipped.
    import_run_task.apply(args=[job.pk], task_id="task-b").get()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == ("importing", 1, "task-a")
    assert not School.objects.filter(code__in=CODES).exists()

    # The broker hands task-a out again only when its worker died: it takes the job over.
    import_run_task.apply(args=[job.pk], task_id="task-a").get()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.task_id) == ("done", 2, "task-a"), job.message
    assert (job.created_count, job.updated_count) == (len(CODES), 0)
    assert sorted(School.objects.filter(code__in=CODES).values_list("code", flat=True)) == list(CODES)

    # A finished job delivered again (the same message or another) is not imported again.
    import_run_task.apply(args=[job.pk], task_id="task-a").get()
    import_run_task.apply(args=[job.pk], task_id="task-c").get()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created_count, job.updated_count) == ("done", 2, len(CODES), 0)
    assert School.objects.filter(code__in=CODES).count() == len(CODES)


@pytest.mark.parametrize(
    ("from_status", "to_status"), [("queued", "checking"), ("import_queued", "importing")], ids=["check", "import"]
)
def test_a_job_that_keeps_killing_its_worker_is_failed_with_a_message_on_its_page(
    client, municipality, from_status, to_status
):
    from core.jobs import MAX_ATTEMPTS
    from core.models import ImportJob
    from core.services.imports import _claim

    job = _job(from_status, municipality)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claimed = _claim(job.pk, from_status, to_status, "task-a")
        assert claimed is not None and (claimed.status, claimed.attempts) == (to_status, attempt)
    # The fourth delivery of the same message: the job is failed instead of being run again.
    assert _claim(job.pk, from_status, to_status, "task-a") is None
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert job.attempts == MAX_ATTEMPTS
    expected = (
        f"Задание прервано: процесс обработки {MAX_ATTEMPTS} раза завершался аварийно. Ничего не записано. "
        f"Повторите загрузку книги; если ошибка повторится, сообщите администратору (задание №{job.pk})."
    )
    assert job.message == expected
    # Failed stays failed: no later delivery revives it.
    assert _claim(job.pk, from_status, to_status, "task-a") is None
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED

    client.force_login(job.requested_by)
    page = client.get(reverse("portal:import-detail", args=[job.pk])).content.decode()
    assert expected in page


def test_a_message_without_a_task_id_never_takes_over_a_running_job(municipality):
    from core.models import ImportJob
    from core.services.imports import _claim

    job = _job(ImportJob.Status.CHECKING, municipality, attempts=1, task_id="")
    assert _claim(job.pk, ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, "") is None
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("checking", 1)


# --- A real worker, killed in the middle of the import -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.worker
def test_pool_child_killed_mid_import_the_job_runs_again_and_writes_each_row_once(gated_worker, settings):  # noqa: F811
    from django.conf import settings as django_settings

    from core.services import import_job_create

    # The worker process uses the default MEDIA_ROOT; the uploaded file must be where it looks.
    settings.MEDIA_ROOT = django_settings.VAR_DIR / "media"
    started = time.monotonic()
    municipality = f.MunicipalityFactory()
    admin = f.user_with_role("admin")
    upload = SimpleUploadedFile(
        "книга.xlsx",
        _workbook(municipality),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    job = import_job_create(user=admin, upload=upload)  # the check is queued on commit
    try:
        _kill_mid_import_and_recover(job, admin, municipality, gated_worker)
    finally:
        job.file.delete(save=False)
    print(f"{time.monotonic() - started:.1f} s in all")


def _kill_mid_import_and_recover(job, admin, municipality, worker) -> None:
    from core.models import ImportJob
    from core.services import import_job_confirm
    from core.tasks import import_run_task
    from schools.models import School

    job = wait_until(
        lambda: (j := ImportJob.objects.get(pk=job.pk)).status not in ("queued", "checking") and j,
        seconds=30,
        what="the check did not finish",
        worker=worker,
    )
    assert job.status == "checked", (job.status, job.message, job.preview.get("errors"))
    assert job.created_count == len(CODES) and job.attempts == 1
    import_job_confirm(job=job, user=admin)  # the import is queued on commit

    pid = wait_until(lambda: _held_pid(worker.gate, "import-held"), seconds=30, what="no import started", worker=worker)
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.attempts) == ("importing", 1)
    first_task = job.task_id
    assert first_task
    # The sheet is written inside the held child's transaction, which nobody else sees.
    assert not School.objects.filter(code__in=CODES).exists()
    assert pid != worker.process.pid and _parent_of(pid) == worker.process.pid

    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    job = wait_until(
        lambda: (j := ImportJob.objects.get(pk=job.pk)).status in ("done", "failed") and j,
        seconds=60,
        what="the import did not finish after the kill",
        worker=worker,
    )
    recovered = time.monotonic() - killed_at
    assert job.status == "done", job.message
    assert job.attempts == 2 and job.task_id == first_task  # the same message, delivered a second time
    assert re.search(r"WorkerLostError|signal 9", worker.log_text()), worker.log_tail()

    # Every row once: the dead child's transaction left nothing, the redelivery created them all.
    assert (job.created_count, job.updated_count, job.error_count) == (len(CODES), 0, 0)
    assert sorted(School.objects.filter(code__in=CODES).values_list("code", flat=True)) == list(CODES)
    assert School.objects.filter(municipality=municipality).count() == len(CODES)

    # Another delivery of the finished job, a new message or the same one, does not import it again.
    import_run_task.apply_async(args=[job.pk]).get(timeout=30)
    import_run_task.apply_async(args=[job.pk], task_id=first_task).get(timeout=30)
    again = ImportJob.objects.get(pk=job.pk)
    assert (again.status, again.attempts, again.finished_at) == ("done", 2, job.finished_at)
    assert School.objects.filter(municipality=municipality).count() == len(CODES)
    assert worker.process.poll() is None, "the worker itself must survive its child's death"
    print(f"recovered {recovered:.1f} s after the kill")
