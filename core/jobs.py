"""One base for every background job (a reference render, a workbook import, an export of reports):
its row, its claim by a worker, bounded attempts, progress, the same recovery when a worker dies,
and the state its page polls.

How a job survives a killed worker, the same way for every job:
- its task is `acks_late=True` and `reject_on_worker_lost=True` (`job_task_options`): a pool child
  killed mid-run (OOM, SIGKILL) puts the message back on the queue instead of losing it;
- the broker hands a message out again only when the worker holding it is gone, so the redelivery
  (the same task id) takes over the job its dead worker left running (`job_claim`); so does any
  message once the run is older than the task's hard time limit, which no live run outlives;
- each takeover counts an attempt; after `MAX_ATTEMPTS` claims the job is failed with the job's
  `LOST_MESSAGE`, shown on its page, instead of being redelivered forever;
- a job nobody claimed within `STALE_QUEUED`, or running past its `stale_after()`, is stale: the user
  may start it again, and it blocks nothing (`job_is_stale`, `job_expire`);
- only transient errors (a lost database connection) are retried, with backoff (`retry_if_transient`);
  every other error fails the job with a message for the user.
A job's work must therefore be idempotent: rerunning it overwrites its output instead of adding to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError, models
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Claims of one run before a job that keeps killing its worker is failed instead of redelivered forever.
MAX_ATTEMPTS = 3
# A job queued this long with no worker taking it was lost on its way (a broker restart): stale.
STALE_QUEUED = timedelta(minutes=10)
# Errors worth running the job again for: the database went away for a moment.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
RETRY_BACKOFF_SECONDS = (10, 60)

# A run older than its task's hard time limit and this margin has no live worker: the limit killed it.
STALE_MARGIN = timedelta(seconds=60)

EXPIRED_MESSAGE = _(
    "Задание не выполнено: сервер обработки заданий не взял его в работу или прервал его. Запустите его ещё раз."
)


class Job(models.Model):
    """The row of a background job: its status, its claims, its progress and the message for the user.

    A concrete job defines `status` with its `Status` choices (which include "queued", "done" and
    "failed"), lists the statuses a worker holds it in (`RUNNING`) or it waits in (`WAITING`), and
    sets its task's `SOFT_TIME_LIMIT` and `TIME_LIMIT` and its `LOST_MESSAGE` (with `%(n)s` attempts
    and `%(id)s`, the job's number).
    """

    QUEUED: ClassVar[str] = "queued"
    RUNNING_STATUS: ClassVar[str] = "running"
    DONE: ClassVar[str] = "done"
    FAILED: ClassVar[str] = "failed"
    WAITING: ClassVar[tuple[str, ...]] = ("queued",)
    RUNNING: ClassVar[tuple[str, ...]] = ("running",)
    BADGES: ClassVar[dict[str, str]] = {"done": "success", "failed": "danger"}
    # The task's time limits, in seconds: soft (the task may still fail the job itself) and hard.
    SOFT_TIME_LIMIT: ClassVar[int] = 600
    TIME_LIMIT: ClassVar[int] = 660
    LOST_MESSAGE: ClassVar[str] = (
        "Задание прервано: процесс обработки %(n)s раза завершался аварийно. "
        "Запустите его ещё раз; если ошибка повторится, сообщите администратору (задание №%(id)s)."
    )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("пользователь"),
    )
    # The claims of the current run by a Celery message (see job_claim), and that message's id.
    attempts = models.PositiveSmallIntegerField(_("попыток выполнения"), default=0)
    task_id = models.CharField(_("задача Celery"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("поставлено в очередь"), default=timezone.now)
    started_at = models.DateTimeField(_("начато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("выполнено"), default=0)
    progress_total = models.PositiveIntegerField(_("всего"), default=0)
    # What the user is told: the current step while it runs, why it failed when it did.
    message = models.TextField(_("сообщение"), blank=True)

    class Meta:
        abstract = True

    @classmethod
    def stale_after(cls) -> timedelta:
        """How long a run may last: past it, its worker is dead (the hard time limit killed it)."""
        return timedelta(seconds=cls.TIME_LIMIT) + STALE_MARGIN

    @property
    def is_running(self) -> bool:
        return self.status in self.WAITING + self.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == self.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.FAILED

    @property
    def percent(self) -> int:
        if self.is_done:
            return 100
        return min(100, int(100 * self.progress_done / self.progress_total)) if self.progress_total else 0

    @property
    def badge(self) -> str:
        """The Bootstrap colour of the job's status badge."""
        if self.status in self.BADGES:
            return self.BADGES[self.status]
        return "info" if self.status in self.RUNNING else "secondary"

    @property
    def is_stale(self) -> bool:
        return job_is_stale(self)

    def extra_state(self) -> dict[str, Any]:
        """What this kind of job adds to the polled state (counts, file links)."""
        return {}


def job_task_options(model: type[Job]) -> dict[str, Any]:
    """The Celery options of a job's task: acknowledged after the run and put back on the queue when its
    pool child is killed, so the redelivery takes the job over (see the module docstring); time limits."""
    return {
        "bind": True,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "soft_time_limit": model.SOFT_TIME_LIMIT,
        "time_limit": model.TIME_LIMIT,
    }


def job_is_stale(job: Job) -> bool:
    """Lost: queued for long with no worker taking it, or running past its hard time limit."""
    now = timezone.now()
    if job.status in job.WAITING:
        return job.queued_at < now - STALE_QUEUED
    if job.status in job.RUNNING:
        return job.started_at is not None and job.started_at < now - job.stale_after()
    return False


def _stale_q(model: type[Job], now: Any) -> Q:
    return Q(status__in=model.WAITING, queued_at__lt=now - STALE_QUEUED) | Q(
        status__in=model.RUNNING, started_at__lt=now - model.stale_after()
    )


def job_expire(jobs: QuerySet[Job]) -> int:
    """Fail the stale jobs among `jobs` (a conditional UPDATE), so they block nothing; return how many."""
    now = timezone.now()
    return jobs.filter(_stale_q(jobs.model, now)).update(
        status=jobs.model.FAILED, message=str(EXPIRED_MESSAGE), finished_at=now
    )


def job_requeue_fields() -> dict[str, Any]:
    """The fields of a job queued again: a fresh count of attempts, no progress, no message."""
    return {
        "attempts": 0,
        "task_id": "",
        "queued_at": timezone.now(),
        "started_at": None,
        "finished_at": None,
        "progress_done": 0,
        "message": "",
    }


def job_claim(
    jobs: QuerySet[Job],
    *,
    task_id: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
) -> bool:
    """Claim the job in `jobs` (one row) for this run with a conditional UPDATE; False if it is not ours.

    Claimable are a job in `from_status` (queued); a job in `to_status` (running) under this very task
    id, which is a redelivery (the earlier run of that id is dead); and a job in `to_status` running
    past its `stale_after()`. A different message for a running job, or a job already past the step, is
    skipped. A job claimed `MAX_ATTEMPTS` times in one run is failed with its `LOST_MESSAGE`.
    """
    model = jobs.model
    from_status = from_status or model.QUEUED
    to_status = to_status or model.RUNNING_STATUS
    task_id = (task_id or "")[:64]
    now = timezone.now()
    started = {"started_at": now, "finished_at": None, "progress_done": 0, "message": "", "task_id": task_id}
    if jobs.filter(status=from_status).update(status=to_status, attempts=1, **started):
        return True
    lost = Q(status=to_status, started_at__lt=now - model.stale_after())
    if task_id:
        lost |= Q(status=to_status, task_id=task_id)
    if jobs.filter(lost, attempts__lt=MAX_ATTEMPTS).update(attempts=F("attempts") + 1, **started):
        logger.warning("%s: run %s taken over after its worker died", model.__name__, task_id or "(past its limit)")
        return True
    for pk in jobs.filter(lost, attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True):
        model.objects.filter(pk=pk).update(
            status=model.FAILED, message=model.LOST_MESSAGE % {"n": MAX_ATTEMPTS, "id": pk}, finished_at=now
        )
        logger.error("%s %s lost its worker %s times; marked failed", model.__name__, pk, MAX_ATTEMPTS)
    return False


def job_progress(jobs: QuerySet[Job], *, done: int, total: int | None = None, message: str | None = None) -> None:
    """Record how far the running job is (its page polls it)."""
    fields: dict[str, Any] = {"progress_done": done}
    if total is not None:
        fields["progress_total"] = total
    if message is not None:
        fields["message"] = message
    jobs.update(**fields)


def job_finish(jobs: QuerySet[Job], *, failed: bool, message: str = "", **fields: Any) -> None:
    """End the run: done (progress full) or failed, with the message the user reads."""
    model = jobs.model
    if not failed:
        fields.setdefault("progress_done", F("progress_total"))
    jobs.update(status=model.FAILED if failed else model.DONE, message=message, finished_at=timezone.now(), **fields)


def retry_if_transient(task: Any, exc: BaseException) -> None:
    """Raise a Celery retry, with backoff, when `exc` is transient and retries are left; else return.

    The retry carries the same task id, so `job_claim` takes it as a redelivery and counts the attempt.
    """
    request = getattr(task, "request", None)
    if not isinstance(exc, TRANSIENT_ERRORS) or request is None:
        return
    if getattr(request, "is_eager", False) or getattr(request, "called_directly", False):
        return  # run in-process: nothing would deliver the retry
    retries = request.retries or 0
    if retries >= MAX_ATTEMPTS - 1:
        return
    countdown = RETRY_BACKOFF_SECONDS[min(retries, len(RETRY_BACKOFF_SECONDS) - 1)]
    raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_ATTEMPTS - 1)


def job_state(job: Job) -> dict[str, Any]:
    """What a job's page polls: the same keys for every job, and what its kind adds."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "running": job.is_running,
        "done": job.is_done,
        "failed": job.is_failed,
        "stale": job.is_running and job.is_stale,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "percent": job.percent,
        "message": job.message,
        **job.extra_state(),
    }


def job_status_view(
    jobs_for: Callable[[Any], QuerySet[Job]], *, allowed: Callable[[Any], bool] | None = None
) -> Callable[..., JsonResponse]:
    """The JSON view a job's page polls: the job looked up through the user's scope (404 outside it)."""

    @login_required
    @require_GET
    @never_cache
    def job_status(request: HttpRequest, pk: int) -> JsonResponse:
        if allowed is not None and not allowed(request.user):
            raise PermissionDenied
        return JsonResponse(job_state(get_object_or_404(jobs_for(request.user), pk=pk)))

    return job_status
