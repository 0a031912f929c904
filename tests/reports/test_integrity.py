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
