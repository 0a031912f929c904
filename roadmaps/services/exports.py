"""Exports of quarterly report lines to Excel as background jobs: create (queues the task) and run."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import check_quarter
from core.models import User

from ..exports import report_lines_export
from ..models import ReportExportJob, export_output_path
from ..permissions import can_export
from ..selectors.exports import export_schools_for

logger = logging.getLogger(__name__)

# A job still queued or running after this long is considered lost (a worker died) and no longer
# blocks a new request.
STALE_AFTER = dt.timedelta(hours=1)


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
    """Queue an export of the report lines of the user's scope for quarters `period_from`..`period_to`."""
    if not can_export(user):
        raise PermissionDenied
    _check_period(period_from, period_to)
    with transaction.atomic():
        busy = ReportExportJob.objects.select_for_update().filter(
            user=user,
            status__in=(ReportExportJob.Status.QUEUED, ReportExportJob.Status.RUNNING),
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        if busy.exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Предыдущая выгрузка ещё формируется — дождитесь её завершения."]}
            )
        job = ReportExportJob.objects.create(
            user=user,
            year_from=period_from[0],
            quarter_from=period_from[1],
            year_to=period_to[0],
            quarter_to=period_to[1],
        )
        from ..tasks import report_export_task

        transaction.on_commit(lambda: report_export_task.delay(job.pk))
    return job


def _finish(job: ReportExportJob, status: str, message: str = "") -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at", "file", "line_count", "size"])


def report_export_run(*, job_id: int) -> ReportExportJob | None:
    """Build the file of a queued export. Claims the job with a conditional UPDATE, so a redelivered
    task does nothing; re-checks the user's right at run time; the scope is the user's scope now."""
    if not ReportExportJob.objects.filter(pk=job_id, status=ReportExportJob.Status.QUEUED).update(
        status=ReportExportJob.Status.RUNNING
    ):
        return None
    job = ReportExportJob.objects.select_related("user").get(pk=job_id)
    if not job.user.is_active or not can_export(job.user):
        _finish(job, ReportExportJob.Status.FAILED, "У пользователя больше нет права выгружать отчёты ОО.")
        return job
    name = export_output_path(job, job.filename)
    path = Path(settings.MEDIA_ROOT) / name
    try:
        count = report_lines_export(
            path=path,
            schools=export_schools_for(job.user),
            period_from=(job.year_from, job.quarter_from),
            period_to=(job.year_to, job.quarter_to),
        )
    except Exception:  # noqa: BLE001 — the job must end in a state the user sees
        logger.exception("Report export %s crashed", job_id)
        path.unlink(missing_ok=True)
        _finish(job, ReportExportJob.Status.FAILED, f"Внутренняя ошибка при формировании файла (выгрузка №{job.pk}).")
        return job
    job.file.name = name
    job.line_count = count
    job.size = path.stat().st_size
    _finish(job, ReportExportJob.Status.DONE)
    return job
