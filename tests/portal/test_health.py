"""/health/: database and broker state for load balancers; never an HTML error page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.conftest import redis_available

pytestmark = pytest.mark.django_db

URL = "/health/"


def test_health_url_is_stable():
    assert reverse("portal:health") == URL


def test_health_reports_database_and_in_process_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "in-process", "cache": "ok", "status": "ok"}


def test_health_needs_no_login_and_is_not_cached(client):
    response = client.get(URL)
    assert response.status_code in (200, 503)
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_live_broker(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: tasks run in-process")
    assert redis_available(), "REDIS_URL is set but Redis does not answer"
    body = client.get(URL).json()
    assert body["broker"] == "ok"
    assert body["status"] == "ok"


def test_broker_down_is_503_with_the_broker_error(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(URL)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "error: ConnectionError"
    assert body["status"] == "degraded"


def test_database_down_is_503_with_the_database_error(client, settings):
    settings.REDIS_URL = ""
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert response.json()["status"] == "degraded"


def test_health_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    assert client.get(URL).status_code == 200
    assert client.get(reverse("portal:login")).status_code == 301


def test_health_refuses_post(client):
    assert client.post(URL).status_code == 405


def test_container_healthcheck_probes_the_running_server(live_server, monkeypatch, settings):
    from portal import healthcheck

    settings.REDIS_URL = ""
    monkeypatch.setenv("PORT", live_server.url.rsplit(":", 1)[1])
    monkeypatch.setenv("ALLOWED_HOSTS", "localhost,portal.example.ru")
    assert healthcheck.main() == 0

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert healthcheck.main() == 1
