"""Web workbook imports and template builds as jobs: the services and the job bodies the tasks run.

Upload → `import_job_create` stores the file and queues a dry run → the preview shows what would
change → `import_job_confirm` queues the real run → the result is stored on the job. The tasks
(`core/tasks.py`) take the job's primary key and call the bodies here, which claim it with a
conditional UPDATE (so a second message for a job already taken or finished does nothing) and
re-check the user's permission. The check and the import are acknowledged after they end and
requeued when their pool child is killed; the redelivery, which carries the same task id, takes over
the step its dead worker left running (see `_claim`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exporters import ExportResult
from ..jobs import job_claim, retry_if_transient
from ..models import ImportJob, User
from ..permissions import can_download_template, can_import
from ..selectors import template_municipalities_for, template_schools_for
from ..workbook import WorkbookError, check_zip, run_import

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------


def _format_mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def validate_upload(upload: Any) -> None:
    """Cheap checks before the file is stored: extension, size cap, zip structure."""
    name = str(getattr(upload, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            {"file": [_("Загрузите книгу Excel в формате .xlsx (файлы .xls и .csv не поддерживаются).")]}
        )
    limit = settings.WORKBOOK_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("Файл слишком большой: %(size)s МБ, допустимо не более %(max)s МБ.")
                    % {"size": _format_mb(upload.size), "max": _format_mb(limit)}
                ]
            }
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    try:
        check_zip(data)
    except WorkbookError as exc:
        raise ValidationError({"file": [str(exc)]}) from None


def import_job_create(*, user: User, upload: Any) -> ImportJob:
    """Store the uploaded workbook and queue its check (a dry run)."""
    if not can_import(user):
        raise PermissionDenied
    from .. import tasks  # the task module imports these services

    validate_upload(upload)
    original = (str(upload.name).replace("\\", "/").rsplit("/", 1)[-1])[:255]
    with transaction.atomic():
        job = ImportJob(kind=ImportJob.Kind.IMPORT, requested_by=user, original_name=original, size=upload.size)
        job.file.save(original, upload, save=False)
        job.save()
        transaction.on_commit(lambda: tasks.import_check_task.delay(job.pk))
    return job


def import_job_confirm(*, job: ImportJob, user: User) -> ImportJob:
    """Queue the real import of a checked job."""
    from .. import tasks  # the task module imports these services

    if not can_import(user) or job.kind != ImportJob.Kind.IMPORT:
        raise PermissionDenied
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORT_QUEUED, confirmed_at=timezone.now(), queued_at=timezone.now()
        )
        if not updated:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Импорт можно подтвердить только после успешной проверки файла.")]}
            )
        transaction.on_commit(lambda: tasks.import_run_task.delay(job.pk))
    job.refresh_from_db()
    return job


def template_job_create(*, user: User, municipality: Model | None) -> ImportJob:
    """Queue the build of a template for a whole scope (a region or everything)."""
    from .. import tasks  # the task module imports these services

    if not can_download_template(user):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.create(kind=ImportJob.Kind.TEMPLATE, requested_by=user, municipality=municipality)
        transaction.on_commit(lambda: tasks.template_build_task.delay(job.pk))
    return job


def template_build(*, user: User, municipality: Model | None) -> ExportResult:
    """The template for one municipality (or the user's whole scope, «vse»): (filename, type, bytes)."""
    from ..exports import WorkbookTemplateExporter

    if not can_download_template(user):
        raise PermissionDenied
    municipalities = template_municipalities_for(user)
    if municipality is not None:
        municipalities = municipalities.filter(pk=municipality.pk)
    exporter = WorkbookTemplateExporter(
        schools=template_schools_for(user, municipality),
        municipalities=municipalities,
        label=municipality.code if municipality else "vse",
    )
    return exporter.render({})


# --------------------------------------------------------------------------------------------
# Job execution (called by the tasks of core/tasks.py)
# --------------------------------------------------------------------------------------------


def _claim(job_id: int, from_status: str, to_status: str, task_id: str = "") -> ImportJob | None:
    """Move the job from `from_status` to `to_status` for this run (core.jobs.job_claim); None if not ours.

    A redelivery of the same task id takes over the step its dead worker left in `to_status`. That is
    safe because the check never writes and the import writes its rows and the job's result in one
    transaction, which a killed worker never committed. After MAX_ATTEMPTS claims the job is failed.
    """
    jobs = ImportJob.objects.filter(pk=job_id)
    if not job_claim(jobs, task_id=task_id, from_status=from_status, to_status=to_status):
        return None
    return jobs.select_related("requested_by").get()


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])


def import_job_check(job_id: int, task_id: str = "", task: Any = None) -> None:
    """Dry-run the stored workbook and keep what it would change, or its errors."""
    job = _claim(job_id, ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, task_id)
    if job is None:
        return
    if not can_import(job.requested_by):
        _fail(job, _("У пользователя больше нет права импортировать данные."))
        return
    try:
        with job.file.open("rb") as fh:
            result = run_import(fh, user=job.requested_by, dry_run=True)
    except Exception as exc:  # noqa: BLE001 - the job must end in a state the page can show
        retry_if_transient(task, exc)
        logger.exception("Import check %s crashed", job_id)
        _fail(
            job, _("Внутренняя ошибка при проверке файла. Сообщите администратору (задание №%(id)s).") % {"id": job_id}
        )
        return
    job.preview = result.to_dict()
    job.error_count = len(result.errors)
    # With errors nothing will be written, so nothing counts as "to be created".
    job.created_count = result.created if result.ok else 0
    job.updated_count = result.updated if result.ok else 0
    job.checked_at = timezone.now()
    job.status = ImportJob.Status.CHECKED if result.ok else ImportJob.Status.INVALID
    job.save(update_fields=["preview", "error_count", "created_count", "updated_count", "checked_at", "status"])


def import_job_run(job_id: int, task_id: str = "", task: Any = None) -> None:
    """Import the confirmed workbook for real (all or nothing).

    The rows and the job's result are committed together: a worker killed anywhere before that
    commit leaves nothing written and the job «импорт выполняется», which the redelivery takes over;
    a worker killed after it leaves the job done, which a redelivery skips.
    """
    job = _claim(job_id, ImportJob.Status.IMPORT_QUEUED, ImportJob.Status.IMPORTING, task_id)
    if job is None:
        return
    if not can_import(job.requested_by):
        _fail(job, _("У пользователя больше нет права импортировать данные."))
        return
    try:
        with transaction.atomic():
            with job.file.open("rb") as fh:
                result = run_import(fh, user=job.requested_by, dry_run=False)
            _finish_import(job, result)
    except Exception as exc:  # noqa: BLE001
        retry_if_transient(task, exc)
        logger.exception("Import %s crashed", job_id)
        _fail(
            job,
            _("Внутренняя ошибка при импорте; ничего не записано. Сообщите администратору (задание №%(id)s).")
            % {"id": job_id},
        )


def _finish_import(job: ImportJob, result: Any) -> None:
    job.result = result.to_dict()
    job.error_count = len(result.errors)
    job.created_count = result.created if result.ok else 0
    job.updated_count = result.updated if result.ok else 0
    job.finished_at = timezone.now()
    if result.ok:
        job.status = ImportJob.Status.DONE
        job.message = ""
    else:
        # Data changed between the check and the confirmation.
        job.status = ImportJob.Status.FAILED
        job.message = _("При импорте обнаружены ошибки; ничего не записано.")
    job.save(
        update_fields=["result", "error_count", "created_count", "updated_count", "finished_at", "status", "message"]
    )


def template_job_build(job_id: int, task_id: str = "", task: Any = None) -> None:
    job = _claim(job_id, ImportJob.Status.QUEUED, ImportJob.Status.IMPORTING, task_id)
    if job is None:
        return
    try:
        name, _type, content = template_build(user=job.requested_by, municipality=job.municipality)
    except PermissionDenied:
        _fail(job, _("У пользователя больше нет права выгружать шаблон."))
        return
    except Exception as exc:  # noqa: BLE001
        retry_if_transient(task, exc)
        logger.exception("Template build %s crashed", job_id)
        _fail(job, _("Внутренняя ошибка при формировании шаблона (задание №%(id)s).") % {"id": job_id})
        return
    job.output.save(name, ContentFile(content), save=False)
    job.original_name = name
    job.size = len(content)
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["output", "original_name", "size", "status", "finished_at"])
