"""The rendering job of a version: queueing, claiming, progress, the render itself and retries.

Idempotent by construction: a job row is claimed with a conditional UPDATE, a render whose inputs
were already rendered is skipped, and a signed version, once rendered, is never written again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import jobs as job_base
from core.calendar import datetime_text
from core.jobs import MAX_ATTEMPTS, STALE_QUEUED, job_is_stale, job_requeue_fields  # noqa: F401 - the base's rules
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

SOFT_TIME_LIMIT = RenderJob.SOFT_TIME_LIMIT
HARD_TIME_LIMIT = RenderJob.TIME_LIMIT


def _queue_job(job: RenderJob, *, fresh: bool = False) -> None:
    """Mark the job queued (a `fresh` job row already is) and start the task once the transaction commits."""
    from ..tasks import reference_render

    if not fresh:
        RenderJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, **job_requeue_fields())
    version_pk = job.version_id
    transaction.on_commit(lambda: reference_render.delay(version_pk))


def job_is_retryable(job: RenderJob) -> bool:
    """Failed, or lost: queued for long with no worker taking it, or running past the hard limit."""
    return job.status == JobStatus.FAILED or job_is_stale(job)


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


def job_claim(*, version_pk: int, task_id: str = "") -> bool:
    """Claim the version's job for this run (see core.jobs.job_claim: a redelivery of the same task
    id or a run past the hard limit is taken over, MAX_ATTEMPTS claims fail the job)."""
    return job_base.job_claim(RenderJob.objects.filter(version_id=version_pk), task_id=task_id)


def job_progress(*, version_pk: int, step: int, message: str) -> None:
    job_base.job_progress(
        RenderJob.objects.filter(version_id=version_pk), done=step, total=RenderJob.STEPS, message=message[:500]
    )


def job_finish(*, version_pk: int, failed: bool, message: str) -> None:
    job_base.job_finish(RenderJob.objects.filter(version_id=version_pk), failed=failed, message=message[:500])


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
        computed_on=datetime_text(version.data_date),
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
