"""Behind the TLS proxy, login throttling and the verification rate limit key on the client's address
(`X-Forwarded-For` as set by the trusted proxies), and one address trying many usernames is locked."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.network import client_ip
from tests import factories as f

PASSWORD = "verno-parol-2021"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "10.0.0.2"),
        (0, "198.51.100.7", "10.0.0.2"),  # no trusted proxy: the header is the client's word only
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a spoofed first entry is not taken
        (2, "6.6.6.6, 198.51.100.7, 10.1.1.1", "198.51.100.7"),
        (1, "", "10.0.0.2"),  # the proxy did not set it: the peer
        (2, "198.51.100.7", "10.0.0.2"),  # fewer entries than proxies: not set by them
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_takes_the_address_the_trusted_proxy_saw(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)
    assert client_ip(request) == expected


@pytest.fixture
def axes_on(settings, db):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    from django.core.cache import cache

    cache.clear()


def _login(client, username: str, password: str, address: str):
    return client.post(
        reverse("portal:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_lockout_of_one_client_does_not_lock_another_behind_the_same_proxy(client, axes_on, settings):
    user = f.UserFactory(username="dir.alfa")
    user.set_password(PASSWORD)
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "dir.alfa", "wrong-password", "198.51.100.7")
    assert _login(client, "dir.alfa", PASSWORD, "198.51.100.7").status_code == 429
    response = _login(client, "dir.alfa", PASSWORD, "203.0.113.9")
    assert response.status_code == 302, "another client behind the proxy was locked out with the attacker"


def test_one_address_trying_many_usernames_is_locked(client, axes_on, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    user = f.UserFactory(username="dir.beta")
    user.set_password(PASSWORD)
    user.save()
    for n in range(4):
        _login(client, f"guess{n}", "wrong-password", "198.51.100.7")
    assert _login(client, "dir.beta", PASSWORD, "198.51.100.7").status_code == 429
    assert _login(client, "dir.beta", PASSWORD, "203.0.113.9").status_code == 302
