"""The client's address, as the trusted reverse proxies saw it: one function for every per-address rule
(login throttling, the verification page's rate limit)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client: `REMOTE_ADDR`, or with `TRUSTED_PROXY_COUNT` = n proxies in front,
    the n-th entry from the right of `X-Forwarded-For` (each proxy appends the address it saw; what the
    client wrote itself stays to the left and is never taken). `REMOTE_ADDR` when the header is missing,
    shorter than the proxy chain or not an address."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < count:
        return remote
    return _valid(entries[-count]) or remote
