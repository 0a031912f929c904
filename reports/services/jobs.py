"""The rendering job of a version: queueing, claiming, progress, the render itself and retries.

Idempotent by construction: a job row is claimed with a conditional UPDATE, a render whose inputs
were already rendered is skipped, and a signed version, once rendered, is never written again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.calendar import datetime_text
from core.models import User

from .. import permissions
from ..models import (
    ApprovalKind,
    JobStatus,
    ReferenceVersion,
    RenderJob,
)
from ..selectors.snapshot import render_hash

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 240
HARD_TIME_LIMIT = 300


def _queue_job(job: RenderJob, *, fresh: bool = False) -> None:
    """Mark the job queued (a `fresh` job row already is) and start the task once the transaction commits."""
    from ..tasks import reference_render

    if not fresh:
        RenderJob.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            step=0,
            message="",
            attempts=0,
            task_id="",
            queued_at=timezone.now(),
            started_at=None,
            finished_at=None,
        )
    version_pk = job.version_id
    transaction.on_commit(lambda: reference_render.delay(version_pk))


STALE_QUEUED = timedelta(minutes=10)


def job_is_retryable(job: RenderJob) -> bool:
    """Failed, or lost: queued for long with no worker taking it, or running past the hard limit."""
    now = timezone.now()
    if job.status == JobStatus.FAILED:
        return True
    if job.status == JobStatus.QUEUED:
        return job.queued_at < now - STALE_QUEUED
    if job.status == JobStatus.RUNNING:
        return job.started_at is not None and job.started_at < now - timedelta(seconds=HARD_TIME_LIMIT + 60)
    return False


def job_retry(*, job: RenderJob, user: User) -> RenderJob:
    """«Повторить»: requeue a failed job (a running or finished one is left alone)."""
    reference = job.version.reference
    if not (permissions.can_prepare(user, reference) or permissions.can_sign(user, reference)):
        raise PermissionDenied("Повторить формирование может составитель или руководитель.")
    with transaction.atomic():
        locked = RenderJob.objects.select_for_update().get(pk=job.pk)
        if not job_is_retryable(locked):
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Повторить можно формирование, завершившееся ошибкой или зависшее в очереди."]}
            )
        _queue_job(locked)
    locked.refresh_from_db()
    return locked


# Claims of one queueing before a job that keeps killing its worker is failed instead of redelivered forever.
MAX_ATTEMPTS = 3
LOST_TOO_OFTEN = (
    "Формирование справки прерывалось {n} раза: процесс обработки завершался аварийно. "
    "Нажмите «Повторить»; если ошибка повторится, сообщите администратору."
)


def job_claim(*, version_pk: int, task_id: str = "") -> bool:
    """Claim the job with a conditional UPDATE: only one worker renders a version at a time.

    Claimable are a queued job; a job left running by a dead worker past the hard limit; and a job
    running under this very task id, which is a redelivery. The broker hands a message out again only
    when the worker holding it is gone: a killed pool child (`reject_on_worker_lost`, the message is
    requeued at once) or a lost worker process (after the Redis visibility timeout, longer than the
    hard time limit), so the earlier run of that id is dead. A job claimed MAX_ATTEMPTS times since it
    was queued (its render keeps killing the worker) is failed with a message instead of looping.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=HARD_TIME_LIMIT + 60)
    lost = Q(status=JobStatus.RUNNING, started_at__lt=stale)
    if task_id:
        lost |= Q(status=JobStatus.RUNNING, task_id=task_id[:64])
    jobs = RenderJob.objects.filter(version_id=version_pk)
    claimed = jobs.filter(Q(status=JobStatus.QUEUED) | (lost & Q(attempts__lt=MAX_ATTEMPTS))).update(
        status=JobStatus.RUNNING,
        started_at=now,
        finished_at=None,
        step=0,
        message="",
        attempts=F("attempts") + 1,
        task_id=task_id[:64],
    )
    if claimed == 1:
        return True
    exhausted = jobs.filter(lost, attempts__gte=MAX_ATTEMPTS).update(
        status=JobStatus.FAILED, message=LOST_TOO_OFTEN.format(n=MAX_ATTEMPTS), finished_at=now
    )
    if exhausted:
        logger.error("Render job of version %s lost its worker %s times; marked failed", version_pk, MAX_ATTEMPTS)
    return False


def job_progress(*, version_pk: int, step: int, message: str) -> None:
    RenderJob.objects.filter(version_id=version_pk).update(step=step, message=message[:500])


def job_finish(*, version_pk: int, failed: bool, message: str) -> None:
    RenderJob.objects.filter(version_id=version_pk).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE,
        step=F("steps") if not failed else F("step"),
        message=message[:500],
        finished_at=timezone.now(),
    )


def signature_of(version: ReferenceVersion) -> dict[str, Any] | None:
    if not version.is_signed:
        return None
    return {
        "kind": version.approval_kind or ApprovalKind.APPROVE,
        "position": version.signatory_position,
        "name": version.signatory_name,
        "date": version.signed_on.isoformat(),
        "number": version.signed_number,
    }


def version_render(*, version_pk: int, progress: Callable[[int, str], None] | None = None) -> bool:
    """Render a version's PDF and xlsx unless its current inputs were already rendered.

    Returns True when it rendered, False on a cache hit. A signed version, once rendered with its
    signature, is never rendered again: its bytes and hash are frozen.
    """
    from .rendering import outputs_build

    version = ReferenceVersion.objects.select_related("reference").defer("pdf", "xlsx").get(pk=version_pk)
    signature = signature_of(version)
    key = render_hash(base_hash=version.input_hash, signature=signature, code=version.code)
    if version.rendered_hash == key and version.pdf_sha256:
        return False
    started = time.monotonic()
    out = outputs_build(
        snapshot=version.snapshot,
        narrative=version.narrative,
        template=version.template,
        precision=version.narrative.get("precision", version.reference.precision),
        code=version.code,
        version=version.number,
        signature=signature,
        computed_on=datetime_text(version.created_at),
        progress=progress,
    )
    pdf = out["pdf"]
    # Conditional write: never overwrite a signed version that already holds its signed render.
    written = (
        ReferenceVersion.objects.filter(pk=version_pk)
        .exclude(Q(signed_at__isnull=False) & Q(rendered_hash=key) & ~Q(pdf_sha256=""))
        .update(
            pdf=pdf,
            xlsx=out["xlsx"],
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_pages=out["pages"],
            rendered_hash=key,
            rendered_at=timezone.now(),
            render_seconds=round(time.monotonic() - started, 3),
        )
    )
    return written == 1
