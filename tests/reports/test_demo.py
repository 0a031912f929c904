"""The demo references: one signed, one draft, one sent; loading twice changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from core.registry import demo_loaders
from reports.models import AnalyticalReference, ReferenceVersion

from .conftest import pdf_text, squash


def _load_all() -> None:
    for load in demo_loaders:
        load()


@pytest.mark.django_db
def test_demo_references_are_idempotent():
    _load_all()
    refs = {r.template: r for r in AnalyticalReference.objects.select_related("region", "municipality")}
    assert set(refs) == {"methodical-help", "roadmap-monitoring", "program-report"}
    bel = refs["methodical-help"]
    assert (bel.municipality.code, bel.status, bel.date_from.isoformat(), bel.date_to.isoformat()) == (
        "BEL-BR",
        "signed",
        "2020-09-01",
        "2021-06-30",
    )
    assert (refs["roadmap-monitoring"].scope_text, refs["roadmap-monitoring"].status) == ("region:BRY", "draft")
    assert (refs["program-report"].municipality.code, refs["program-report"].status) == ("VLG-KOT", "sent")
    signed = ReferenceVersion.objects.get(reference=bel)
    assert signed.is_signed and signed.pdf_sha256 == hashlib.sha256(bytes(signed.pdf)).hexdigest()
    text = pdf_text(bytes(signed.pdf))
    assert squash("Н.А. Бозина") in text and squash("00-14/08-2729") in text
    assert squash("11/17 64,71") in text  # seed 000's first row
    before = (AnalyticalReference.objects.count(), ReferenceVersion.objects.count(), signed.pdf_sha256)
    _load_all()
    signed.refresh_from_db()
    assert (AnalyticalReference.objects.count(), ReferenceVersion.objects.count(), signed.pdf_sha256) == before
