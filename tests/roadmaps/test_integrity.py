"""Issue 11: what is uploaded, certified or mailed stays what it was (roadmaps side)."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from roadmaps.models import Evidence

from .conftest import PDF_BYTES
from .test_conflict_and_evidence import _save_with_file, upload

pytestmark = pytest.mark.django_db


# Evidence is served under the extension of its detected type ----------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "served"),
    [
        ("Приказ.hta", "Приказ.pdf"),
        ("invoice.bat", "invoice.pdf"),
        ("report.html", "report.pdf"),
        ("без имени", "без имени.pdf"),
    ],
)
def test_evidence_is_served_with_the_extension_of_its_content(client, report, director, methodist, uploaded, served):
    _save_with_file(report, director, upload(uploaded, PDF_BYTES))
    evidence = Evidence.objects.get()
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert served_name(disposition) == served


def served_name(disposition: str) -> str:
    """The file name a browser saves under: the RFC 5987 `filename*` when present, else `filename`."""
    encoded = re.search(r"filename\*=utf-8''([^;]+)", disposition)
    if encoded:
        return unquote(encoded.group(1))
    return re.search(r'filename="([^"]*)"', disposition).group(1)
