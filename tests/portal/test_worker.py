"""A real Celery worker process executes tasks sent through Redis (REDIS_URL; CI runs it)."""

from __future__ import annotations

import pytest
from django.db import connection

from core.models import User
from core.tasks import health_probe
from tests import factories as f
from tests.conftest import wait_until


@pytest.mark.worker
def test_worker_reads_committed_row_from_the_test_database(celery_worker):
    user = f.UserFactory(username="probe.user")

    result = health_probe.delay(user.pk)

    answer = result.get(timeout=30)
    assert answer["username"] == "probe.user"
    assert answer["database"] == str(connection.settings_dict["NAME"])
    assert answer["vendor"] == connection.vendor


@pytest.mark.worker
def test_worker_answers_for_a_missing_row(celery_worker):
    answer = health_probe.apply_async(args=[10**9]).get(timeout=30)
    assert answer["username"] == ""


def test_without_the_worker_fixture_tasks_run_in_process(db):
    user = f.UserFactory(username="eager.user")
    result = health_probe.delay(user.pk)
    assert result.get(timeout=1)["username"] == "eager.user"


@pytest.mark.worker
def test_worker_renders_a_reference_and_writes_the_pdf(celery_worker):
    """The real production path: «Сформировать» queues reference_render on commit, the worker
    process claims the job, renders the PDF and stores it in the database."""
    from bench import synthetic
    from reports import services
    from reports.models import ReferenceVersion, RenderJob

    spec = synthetic.build(schools=3, activities=2, quarters=1)
    coordinator = User.objects.get(username=synthetic.coordinator_username(spec.region_code))
    reference = services.reference_create(
        user=coordinator,
        template="roadmap-monitoring",
        scope_kind="region",
        scope_code=spec.region_code,
        date_from=spec.date_from,
        date_to=spec.date_to,
    )

    version = services.reference_generate(reference=reference, user=coordinator)

    job = wait_until(
        lambda: (j := RenderJob.objects.get(version=version)).status in ("done", "failed") and j,
        seconds=90,
        what="no result from the worker",
        worker=celery_worker,
    )
    assert job.status == "done", job.message
    version = ReferenceVersion.objects.get(pk=version.pk)
    assert bytes(version.pdf[:5]) == b"%PDF-"
    assert version.pdf_pages >= 1
    assert "reports.tasks.reference_render" in celery_worker.log.read_text()
