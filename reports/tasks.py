"""Celery entry points of the references (primary keys in, everything loaded inside)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.jobs import job_task_options, retry_if_transient

from . import services
from .models import RenderJob

logger = logging.getLogger(__name__)


@shared_task(
    # Acknowledged after the run and requeued when its pool child is killed (core.jobs): job_claim
    # takes the redelivery over and bounds it.
    **job_task_options(RenderJob),
    name="reports.tasks.reference_render",
)
def reference_render(self, version_pk: int) -> str:
    """Render one version's PDF and xlsx. Idempotent: the job row is claimed with a conditional
    UPDATE; a repeated task finds it taken or done, a redelivery of a run whose worker died takes it
    over (see job_claim), and the PDF is written by a single UPDATE, so it is whole or absent."""
    task_id = getattr(self.request, "id", None) or ""
    if not services.job_claim(version_pk=version_pk, task_id=task_id):
        return "skipped"

    def progress(step: int, message: str) -> None:
        services.job_progress(version_pk=version_pk, step=step, message=message)
        if task_id and not getattr(self.request, "is_eager", False):
            self.update_state(state="PROGRESS", meta={"done": step, "total": 3, "message": message})

    try:
        rendered = services.version_render(version_pk=version_pk, progress=progress)
    except SoftTimeLimitExceeded:
        services.job_finish(
            version_pk=version_pk,
            failed=True,
            message="Формирование справки заняло слишком много времени и было остановлено. "
            "Нажмите «Повторить»; если ошибка повторится, сообщите администратору.",
        )
        return "timeout"
    except Exception as exc:
        retry_if_transient(self, exc)
        logger.exception("reference_render failed for version %s", version_pk)
        services.job_finish(
            version_pk=version_pk,
            failed=True,
            message="Не удалось сформировать PDF справки из-за внутренней ошибки. "
            "Нажмите «Повторить»; если ошибка повторится, сообщите администратору.",
        )
        return "failed"
    services.job_finish(
        version_pk=version_pk, failed=False, message="Готово" if rendered else "Готово (без повторного формирования)"
    )
    return "rendered" if rendered else "cached"
