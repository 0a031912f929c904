"""An export of report lines whose worker is killed mid-file: the redelivery takes the job over and
writes the file once, whole.

- Killed worker: a real `celery worker --pool=prefork --concurrency=1` (tests/hardening/gated_worker.py:
  the production app, with the first export held once the head of its sheet is written)
  builds an export requested through Redis; the test SIGKILLs the pool child that is writing. Celery
  requeues the message (`acks_late` + `reject_on_worker_lost` on report_export_task, as on every job
  task: core.jobs.job_task_options), a new child takes it, `job_claim` lets the redelivery of the same
  task id take over the job the dead child left «формируется», and the file, whose name is the job's
  own, is written by the second run only: one whole file, nothing left behind.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from openpyxl import load_workbook

from tests.conftest import wait_until
from tests.hardening.test_faults_worker import (  # noqa: F401 - the worker fixtures are used by name
    _gated_worker_process,
    _held_pid,
    _parent_of,
    gated_worker,
)


@pytest.mark.postgres
@pytest.mark.worker
def test_pool_child_killed_mid_export_the_job_runs_again_and_writes_one_whole_file(gated_worker, settings):  # noqa: F811
    from django.conf import settings as django_settings

    from bench import synthetic
    from core.models import User
    from roadmaps.services.exports import report_export_create

    # The worker process uses the default MEDIA_ROOT; the file must be where this test looks.
    settings.MEDIA_ROOT = django_settings.VAR_DIR / "media"
    started = time.monotonic()
    spec = synthetic.build(schools=3, activities=2, quarters=1)
    coordinator = User.objects.get(username=synthetic.coordinator_username(spec.region_code))
    quarter = spec.current_quarter
    job = report_export_create(user=coordinator, period_from=quarter, period_to=quarter)  # queued on commit
    try:
        _kill_mid_export_and_recover(job, spec, gated_worker)
    finally:
        for leftover in (settings.MEDIA_ROOT / "exports").rglob(f"*{job.pk}-*"):
            leftover.unlink()
    print(f"{time.monotonic() - started:.1f} s in all")


def _kill_mid_export_and_recover(job, spec, worker) -> None:
    from django.conf import settings

    from roadmaps.models import ReportExportJob, export_output_path
    from roadmaps.tasks import report_export_task

    pid = wait_until(lambda: _held_pid(worker.gate, "export-held"), seconds=30, what="no export started", worker=worker)
    job = ReportExportJob.objects.get(pk=job.pk)
    assert (job.status, job.attempts, job.progress_total) == ("running", 1, spec.lines), job.message
    first_task = job.task_id
    assert first_task
    target = settings.MEDIA_ROOT / export_output_path(job, job.filename)
    partial = target.with_name(f".{target.name}.part")
    assert not target.exists()  # held in the middle of writing the file
    assert pid != worker.process.pid and _parent_of(pid) == worker.process.pid

    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    job = wait_until(
        lambda: (j := ReportExportJob.objects.get(pk=job.pk)).status in ("done", "failed") and j,
        seconds=60,
        what="the export did not finish after the kill",
        worker=worker,
    )
    recovered = time.monotonic() - killed_at
    assert job.status == "done", job.message
    assert job.attempts == 2 and job.task_id == first_task  # the same message, delivered a second time
    assert re.search(r"WorkerLostError|signal 9", worker.log_text()), worker.log_tail()

    # One whole file under the job's own name, every line once, no partial file left behind.
    assert job.file.name == export_output_path(job, job.filename) and target.exists() and not partial.exists()
    assert sorted(p.name for p in target.parent.glob(f"*{job.pk}-*")) == [target.name]
    rows = list(load_workbook(target, read_only=True)["Мероприятия"].iter_rows(values_only=True))
    assert len(rows) == job.line_count + 1 == spec.lines + 1
    assert (job.progress_done, job.progress_total, job.size) == (spec.lines, spec.lines, target.stat().st_size)

    # Another delivery of the finished job, a new message or the same one, does not write it again.
    report_export_task.apply_async(args=[job.pk]).get(timeout=30)
    report_export_task.apply_async(args=[job.pk], task_id=first_task).get(timeout=30)
    again = ReportExportJob.objects.get(pk=job.pk)
    assert (again.status, again.attempts, again.finished_at) == ("done", 2, job.finished_at)
    assert worker.process.poll() is None, "the worker itself must survive its child's death"
    print(f"recovered {recovered:.1f} s after the kill")
