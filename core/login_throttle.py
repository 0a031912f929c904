"""Login throttling (django-axes) with a second rule: one address failing on many usernames.

Axes locks a username+address pair after `AXES_FAILURE_LIMIT` failures; this handler also locks the
address itself once it has failed `LOGIN_IP_FAILURE_LIMIT` times within the cool-off, whatever the
usernames (a higher limit: a school or an office shares one address). The address comes from
`core.network.client_ip` (settings: `AXES_CLIENT_IP_CALLABLE`).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str | None) -> int:
    """Failed logins from this address within the cool-off, over every username."""
    if not ip_address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The pair's failures; the full limit when the address alone has reached its own limit."""
        failures = super().get_failures(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        if address_failures(ip_address) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
