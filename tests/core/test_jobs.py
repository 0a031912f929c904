"""The one job base (core/jobs.py): the claim, bounded attempts, takeover of a dead worker's run, the
stale rule, progress, transient retries and the polled state, shown on an export job (every job uses
the same functions; the reference render and the workbook import have their own tests in hardening)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from celery.exceptions import Retry
from django.db import OperationalError
from django.utils import timezone

from core import jobs
from roadmaps.models import ReportExportJob


@pytest.fixture
def job(methodist):
    return ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=1, year_to=2021, quarter_to=1
    )


def _rows(job):
    return ReportExportJob.objects.filter(pk=job.pk)


def _state(job):
    job.refresh_from_db()
    return job.status, job.attempts, job.task_id


def test_a_queued_job_is_claimed_once_and_another_message_is_skipped(job):
    assert jobs.job_claim(_rows(job), task_id="task-a")
    assert _state(job) == ("running", 1, "task-a") and job.started_at is not None
    assert not jobs.job_claim(_rows(job), task_id="task-b")  # a double click, a manual resend
    assert not jobs.job_claim(_rows(job), task_id="")
    assert _state(job) == ("running", 1, "task-a")


def test_the_redelivery_of_the_same_task_takes_over_the_run_its_dead_worker_left(job):
    assert jobs.job_claim(_rows(job), task_id="task-a")
    jobs.job_progress(_rows(job), done=5, total=10, message="половина")
    assert jobs.job_claim(_rows(job), task_id="task-a")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress_done, job.message) == ("running", 2, 0, "")


def test_a_run_older_than_its_time_limit_is_taken_over_by_any_message(job):
    assert jobs.job_claim(_rows(job), task_id="task-a")
    _rows(job).update(started_at=timezone.now() - ReportExportJob.stale_after() - dt.timedelta(seconds=1))
    assert jobs.job_claim(_rows(job), task_id="task-b")
    assert _state(job) == ("running", 2, "task-b")


def test_after_max_attempts_the_job_is_failed_with_its_message_and_stays_failed(job):
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert jobs.job_claim(_rows(job), task_id="task-a")
        assert _state(job)[1] == attempt
    assert not jobs.job_claim(_rows(job), task_id="task-a")
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.message == (
        f"Выгрузка прервана: процесс обработки {jobs.MAX_ATTEMPTS} раза завершался аварийно. Запросите выгрузку "
        f"ещё раз; если ошибка повторится, сообщите администратору (выгрузка №{job.pk})."
    )
    assert not jobs.job_claim(_rows(job), task_id="task-a")
    assert _state(job)[0] == "failed"


def test_a_finished_job_is_not_claimed_again(job):
    assert jobs.job_claim(_rows(job), task_id="task-a")
    jobs.job_finish(_rows(job), failed=False)
    assert not jobs.job_claim(_rows(job), task_id="task-a")
    assert not jobs.job_claim(_rows(job), task_id="task-b")
    assert _state(job) == ("done", 1, "task-a")


def test_stale_jobs_are_those_lost_in_the_queue_or_past_their_time_limit_and_expire(job, methodist):
    assert not job.is_stale
    _rows(job).update(queued_at=timezone.now() - jobs.STALE_QUEUED - dt.timedelta(seconds=1))
    job.refresh_from_db()
    assert job.is_stale
    fresh = ReportExportJob.objects.create(
        requested_by=methodist, year_from=2021, quarter_from=2, year_to=2021, quarter_to=2
    )
    assert jobs.job_expire(ReportExportJob.objects.all()) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.message == str(jobs.EXPIRED_MESSAGE)
    assert ReportExportJob.objects.get(pk=fresh.pk).status == "queued"


def test_progress_and_the_polled_state_are_the_same_for_every_job(job):
    assert jobs.job_claim(_rows(job), task_id="task-a")
    jobs.job_progress(_rows(job), done=1, total=4)
    job.refresh_from_db()
    state = jobs.job_state(job)
    assert state == {
        "id": job.pk,
        "status": "running",
        "status_label": "формируется",
        "running": True,
        "done": False,
        "failed": False,
        "stale": False,
        "progress": {"done": 1, "total": 4},
        "percent": 25,
        "message": "",
    }
    jobs.job_finish(_rows(job), failed=False)
    job.refresh_from_db()
    assert (job.progress_done, job.percent, job.badge) == (4, 100, "success")


def _task(retries: int, *, eager: bool = False, direct: bool = False):
    def retry(exc, countdown, max_retries):
        return Retry(exc=exc, when=countdown)

    request = SimpleNamespace(retries=retries, is_eager=eager, called_directly=direct)
    return SimpleNamespace(request=request, retry=retry)


def test_only_transient_errors_are_retried_and_only_while_attempts_are_left():
    with pytest.raises(Retry):
        jobs.retry_if_transient(_task(0), OperationalError("server closed the connection"))
    jobs.retry_if_transient(_task(0), ValueError("a bug"))  # not transient: the caller fails the job
    jobs.retry_if_transient(_task(jobs.MAX_ATTEMPTS - 1), OperationalError("again"))  # retries used up
    jobs.retry_if_transient(_task(0, eager=True), OperationalError("in-process run"))
    jobs.retry_if_transient(_task(0, direct=True), OperationalError("called as a function"))
    jobs.retry_if_transient(None, OperationalError("no task"))


def test_every_job_task_is_acknowledged_late_and_requeued_when_its_worker_is_lost():
    from core.tasks import import_check_task, import_run_task, template_build_task
    from reports.tasks import reference_render
    from roadmaps.tasks import report_export_task

    for task in (reference_render, import_check_task, import_run_task, template_build_task, report_export_task):
        assert task.acks_late and task.reject_on_worker_lost, task.name
        assert task.time_limit and task.soft_time_limit, task.name
