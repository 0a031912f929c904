"""Portal-wide Celery tasks."""

from __future__ import annotations

import socket

from celery import shared_task
from django.db import connection

from .models import User


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
