"""Exports of quarterly report lines to Excel as background jobs: create (queues the task) and run.

The job is one of the portal's jobs (core.jobs): claimed by one worker, taken over by the redelivery
of its task when its worker dies, failed with a message after MAX_ATTEMPTS, and its file written under
one name per job, whole or not at all, so a second run overwrites the first.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import check_quarter
from core.jobs import job_claim, job_expire, job_finish, job_progress, retry_if_transient
from core.models import User

from ..exports import export_lines, report_lines_export
from ..models import ReportExportJob, export_output_path
from ..permissions import can_export
from ..selectors.exports import export_schools_for

logger = logging.getLogger(__name__)


def _check_period(period_from: tuple[int, int], period_to: tuple[int, int]) -> None:
    for field, (year, quarter), what in (
        ("period_from", period_from, _("начала периода")),
        ("period_to", period_to, _("окончания периода")),
    ):
        try:
            check_quarter(year, quarter, what=what)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None
    if period_from > period_to:
        raise ValidationError({"period_to": [_("Начало периода позже его окончания.")]})


def report_export_create(*, user: User, period_from: tuple[int, int], period_to: tuple[int, int]) -> ReportExportJob:
    """Queue an export of the report lines of the user's scope for quarters `period_from`..`period_to`.

    One export per user at a time; an earlier one that is stale (lost on its way to a worker, or older
    than its time limit) is expired by the rule every job follows and blocks nothing.
    """
    if not can_export(user):
        raise PermissionDenied
    _check_period(period_from, period_to)
    with transaction.atomic():
        mine = ReportExportJob.objects.select_for_update().filter(
            requested_by=user, status__in=ReportExportJob.WAITING + ReportExportJob.RUNNING
        )
        job_expire(mine)
        if mine.exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Предыдущая выгрузка ещё формируется — дождитесь её завершения."]}
            )
        job = ReportExportJob.objects.create(
            requested_by=user,
            year_from=period_from[0],
            quarter_from=period_from[1],
            year_to=period_to[0],
            quarter_to=period_to[1],
        )
        from ..tasks import report_export_task

        transaction.on_commit(lambda: report_export_task.delay(job.pk))
    return job


def report_export_run(*, job_id: int, task: Any = None) -> ReportExportJob | None:
    """Build the file of a queued export (the task's body; `task` is the bound Celery task).

    Claims the job (a redelivery after a dead worker takes it over), re-checks the user's right at run
    time (the scope is the user's scope now), and reports the lines written as progress.
    """
    task_id = (getattr(getattr(task, "request", None), "id", None) or "") if task is not None else ""
    jobs = ReportExportJob.objects.filter(pk=job_id)
    if not job_claim(jobs, task_id=task_id):
        return None
    job = ReportExportJob.objects.select_related("requested_by").get(pk=job_id)
    user = job.requested_by
    if not user.is_active or not can_export(user):
        job_finish(jobs, failed=True, message="У пользователя больше нет права выгружать отчёты ОО.")
        return ReportExportJob.objects.get(pk=job_id)
    name = export_output_path(job, job.filename)
    path = Path(settings.MEDIA_ROOT) / name
    period = {"period_from": (job.year_from, job.quarter_from), "period_to": (job.year_to, job.quarter_to)}
    try:
        schools = export_schools_for(user)
        job_progress(jobs, done=0, total=export_lines(schools=schools, **period).count())
        count = report_lines_export(
            path=path, schools=schools, progress=lambda done: job_progress(jobs, done=done), **period
        )
    except Exception as exc:  # noqa: BLE001 — the job must end in a state the user sees
        path.unlink(missing_ok=True)
        retry_if_transient(task, exc)
        logger.exception("Report export %s crashed", job_id)
        job_finish(jobs, failed=True, message=f"Внутренняя ошибка при формировании файла (выгрузка №{job_id}).")
        return ReportExportJob.objects.get(pk=job_id)
    job_finish(jobs, failed=False, file=name, line_count=count, size=path.stat().st_size)
    return ReportExportJob.objects.get(pk=job_id)
