"""Portal-wide Celery tasks: the health probe, and the workbook import and template jobs whose
bodies are in `core/services/imports.py` (primary keys in, everything loaded inside)."""

from __future__ import annotations

import socket

from celery import shared_task
from django.db import connection

from .jobs import job_task_options
from .models import ImportJob, User
from .services import imports


@shared_task(name="portal.health_probe", time_limit=30, soft_time_limit=20)
def health_probe(user_id: int) -> dict[str, str]:
    """Prove a worker reaches the broker and the portal's database: read one committed row back.

    Monitoring (and the test suite) sends it to a worker and waits for the answer.
    """
    username = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    return {
        "worker": socket.gethostname(),
        "database": str(connection.settings_dict["NAME"]),
        "vendor": connection.vendor,
        "username": username or "",
    }


# Acknowledged after the run and requeued when the pool child is killed (core.jobs.job_task_options);
# `imports._claim` lets that redelivery take the job over, bounded.
@shared_task(name="portal.import_check", **job_task_options(ImportJob))
def import_check_task(self, job_id: int) -> None:
    imports.import_job_check(job_id, getattr(self.request, "id", None) or "", task=self)


@shared_task(name="portal.import_run", **job_task_options(ImportJob))
def import_run_task(self, job_id: int) -> None:
    imports.import_job_run(job_id, getattr(self.request, "id", None) or "", task=self)


@shared_task(name="portal.template_build", **job_task_options(ImportJob))
def template_build_task(self, job_id: int) -> None:
    imports.template_job_build(job_id, getattr(self.request, "id", None) or "", task=self)
