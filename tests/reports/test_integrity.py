"""Issue 11: what is signed stays what it was (the references side)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.roadmaps.test_integrity import served_name

from .test_views import reference, signed, version  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("route", "query", "content_type", "disposition", "extension"),
    [
        ("reports:version-pdf", "", "application/pdf", "inline", ".pdf"),
        ("reports:version-pdf", "?download=1", "application/pdf", "attachment", ".pdf"),
        (
            "reports:version-xlsx",
            "",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
            ".xlsx",
        ),
    ],
)
def test_reference_files_are_never_sniffed(
    client,
    signed,  # noqa: F811
    methodist,
    route,
    query,
    content_type,
    disposition,
    extension,
):
    client.force_login(methodist)
    response = client.get(reverse(route, args=[signed.pk]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(f"{disposition};")
    assert served_name(response["Content-Disposition"]).endswith(extension)


def test_verify_rate_limit_keys_on_the_client_behind_the_proxy(client, signed, monkeypatch, settings):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.views import public

    from .test_views import PDF

    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(public, "VERIFY_RATE", (2, 600))

    def post(address):
        return client.post(
            f"/verify/{signed.code}/",
            {"file": SimpleUploadedFile("a.pdf", PDF)},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(2):
        post("198.51.100.7")
    assert post("198.51.100.7").status_code == 429
    assert post("203.0.113.9").status_code == 200
