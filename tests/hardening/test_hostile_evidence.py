"""Hostile evidence uploads through the report page: refused with a clear Russian message, nothing
written — no Evidence row, no file under MEDIA_ROOT, no line text saved, the report version unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
REFUSED = "не принят: по содержимому это не документ допустимого типа"


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _many_entries() -> bytes:
    """A .docx-looking zip with more entries than the cap (2 000): a zip-bomb-like archive."""
    parts = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"}
    parts.update({f"word/media/{i}.bin": b"" for i in range(2100)})
    return _zip(parts)


HOSTILE = [
    pytest.param("отчёт.pdf", EXE, REFUSED, id="renamed-exe"),
    pytest.param(
        "протокол.pdf",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        REFUSED,
        id="html-named-pdf",
    ),
    pytest.param(
        "фото.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        REFUSED,
        id="svg-with-script-named-png",
    ),
    pytest.param(
        "приказ.docx",
        _zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", "payload.exe": EXE}),
        REFUSED,
        id="zip-named-docx-without-document-xml",
    ),
    pytest.param("приказ.docx", _many_entries(), REFUSED, id="docx-with-2100-entries"),
    pytest.param("архив.pdf", _zip({"a.txt": "x"}), REFUSED, id="plain-zip-named-pdf"),
    pytest.param("скрипт.doc", b"#!/bin/sh\nrm -rf /\n", REFUSED, id="shell-script-named-doc"),
    pytest.param("пусто.pdf", b"", "пустой", id="empty-file"),
    pytest.param("большой.pdf", PDF + b"0" * 3000, "слишком большой", id="oversized"),
]


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _post(client, report, files, *, text="Проведено, 12 педагогов"):
    line = report.lines.order_by("pk").first()
    data = {
        "version": report.version,
        "action": "save",
        f"line-{line.pk}-status": "done",
        f"line-{line.pk}-result": text,
        f"line-{line.pk}-participants": "12",
        f"line-{line.pk}-files": files,
    }
    return client.post(reverse("roadmaps:report-detail", args=[report.pk]), data), line


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_hostile_upload_is_refused_and_nothing_is_written(client, report, director, settings, name, content, message):
    if message == "слишком большой":
        settings.UPLOAD_MAX_BYTES = 2048
    client.force_login(director)
    version, before = report.version, _media_files(settings)

    response, line = _post(client, report, [SimpleUploadedFile(name, content, content_type="application/pdf")])

    assert response.status_code == 400
    page = response.content.decode()
    assert f"Файл «{name}»" in page and message in page
    assert Evidence.objects.count() == 0
    assert _media_files(settings) == before
    report.refresh_from_db()
    line.refresh_from_db()
    assert report.version == version
    assert line.result == ""  # the line's text of the refused request was not saved either


def test_one_bad_file_among_good_ones_stores_none(client, report, director, settings):
    client.force_login(director)
    files = [
        SimpleUploadedFile("приказ.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("отчёт.pdf", EXE, content_type="application/pdf"),
    ]
    response, _ = _post(client, report, files)
    assert response.status_code == 400
    assert "Файл «отчёт.pdf» " + REFUSED in response.content.decode()
    assert Evidence.objects.count() == 0
    assert _media_files(settings) == []


def test_path_in_the_file_name_is_dropped(client, report, director, settings):
    """A name like ../../etc/passwd.pdf is stored as data only; the file lands under MEDIA_ROOT by token."""
    client.force_login(director)
    response, _ = _post(client, report, [SimpleUploadedFile("../../../etc/приказ.pdf", PDF, "application/pdf")])
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "/" not in evidence.original_name and ".." not in evidence.file.name
    assert Path(evidence.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
