"""Celery app. With no REDIS_URL, settings make every task run in-process (eager)."""

from __future__ import annotations

import logging
import os

from celery import Celery, Task
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger(__name__)


class BrokerSafeTask(Task):
    """Sending a task while the broker (Redis) is down logs the error instead of raising it.

    Tasks are sent from `transaction.on_commit`, after the user's change is committed: raising there
    turned a saved change into a 500 page. The job rows stay «в очереди» and the pages offer a retry
    (a reference render job becomes retryable after 10 minutes); the health check reports the broker.
    """

    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except OperationalError:
            logger.exception("Broker unavailable: task %s was not sent", self.name)
            return None


app = Celery("portal", task_cls=BrokerSafeTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
