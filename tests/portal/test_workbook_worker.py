"""The production path of a web import: tasks go through Redis to a real Celery worker process."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core import services
from core.models import ImportJob
from schools.models import School
from tests import factories as f
from tests.conftest import wait_until
from tests.fixtures.workbooks import make_workbook

OO = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]


@pytest.mark.worker
def test_worker_checks_then_imports_an_uploaded_workbook(celery_worker, settings):
    # The worker process uses the default MEDIA_ROOT; the uploaded file must be where it looks.
    settings.MEDIA_ROOT = django_settings.VAR_DIR / "media"
    municipality = f.MunicipalityFactory()
    coordinator = f.user_with_role("coordinator", region=municipality.region)
    data = make_workbook({"ОО": [OO, ["W1", "МОУ «Школа воркера»", municipality.code, "СОШ", "", 9, 90, "нет"]]})
    job = services.import_job_create(
        user=coordinator, upload=SimpleUploadedFile("w.xlsx", data, content_type="application/octet-stream")
    )
    try:
        job = wait_until(
            lambda: (j := ImportJob.objects.get(pk=job.pk)).status in ("checked", "invalid", "failed") and j,
            seconds=60,
            what="the check did not finish",
            worker=celery_worker,
        )
        assert job.status == ImportJob.Status.CHECKED, job.preview
        assert job.created_count == 1
        assert not School.objects.filter(code="W1").exists()
        services.import_job_confirm(job=job, user=coordinator)
        job = wait_until(
            lambda: (j := ImportJob.objects.get(pk=job.pk)).status in ("done", "failed") and j,
            seconds=60,
            what="the import did not finish",
            worker=celery_worker,
        )
        assert job.status == ImportJob.Status.DONE, job.message
        assert School.objects.get(code="W1").history.get().history_user == coordinator
    finally:
        job.file.delete(save=False)
