"""Concurrent edits are refused with who/what; evidence is checked from content and served scoped."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps import services
from roadmaps.models import ActivityReport, Evidence
from tests import factories as f

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# Concurrent edits ------------------------------------------------------------------------------------


def test_stale_version_is_refused_naming_who_and_what(report, director, methodist):
    lines = list(report.lines.select_related("activity").order_by("pk"))
    opened_at = report.version
    # The methodist saves first, from the same version.
    services.report_save(
        report=report,
        user=methodist,
        version=opened_at,
        lines={lines[0].pk: {"status": "done", "result": "Проведено 2 семинара", "participants": 14}},
    )
    # The director's save, from the version they opened, must not overwrite it.
    with pytest.raises(services.ReportConflict) as exc:
        services.report_save(
            report=report,
            user=director,
            version=opened_at,
            lines={lines[0].pk: {"status": "not_done", "reason": "Нет", "result": ""}},
        )
    message = exc.value.message
    assert message.startswith(f"Отчёт уже изменил(а) {methodist.short_name} (")
    assert f"«{lines[0].activity.title}» — статус, результат, участников" in message
    assert "Ваши изменения не сохранены" in message
    line = ActivityReport.objects.get(pk=lines[0].pk)
    assert (line.status, line.result, line.participants) == ("done", "Проведено 2 семинара", 14)
    report.refresh_from_db()
    assert report.version == opened_at + 1


def test_conflict_via_form_keeps_input_and_returns_409(client, report, director, methodist):
    line = report.lines.first()
    services.report_save(report=report, user=methodist, version=1, lines={line.pk: {"result": "Методист"}})
    client.force_login(director)
    response = client.post(
        reverse("roadmaps:report-detail", args=[report.pk]),
        {"version": 1, "action": "save", f"line-{line.pk}-status": "done", f"line-{line.pk}-result": "Директор"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Отчёт уже изменил(а)" in html
    assert "Директор</textarea>" in html  # the director's input is still on the page
    assert 'name="version" value="1"' in html  # and still stale: a blind resubmit conflicts again
    line.refresh_from_db()
    assert line.result == "Методист"


def test_transition_after_opening_is_a_conflict_too(submitted_report, methodist):
    stale = submitted_report.version
    services.report_return(
        report=submitted_report, user=methodist, comment="Исправьте", version=submitted_report.version
    )
    with pytest.raises(services.ReportConflict) as exc:
        services.report_save(report=submitted_report, user=methodist, version=stale, lines={})
    assert "статус: «на проверке» → «возвращён на доработку»" in exc.value.message


# Evidence ------------------------------------------------------------------------------------------


def _save_with_file(report, user, file) -> None:
    line = report.lines.order_by("pk").first()
    report.refresh_from_db()
    services.report_save(report=report, user=user, version=report.version, lines={}, files={line.pk: [file]})


@pytest.mark.parametrize(
    ("name", "content", "extension", "content_type"),
    [
        ("приказ.pdf", PDF_BYTES, ".pdf", "application/pdf"),
        ("фото.png", PNG_BYTES, ".png", "image/png"),
        (
            "протокол.docx",
            ooxml("word/document.xml"),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "список.xlsx",
            ooxml("xl/workbook.xml"),
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("скан без расширения", PDF_BYTES, ".pdf", "application/pdf"),
    ],
)
def test_allowed_files_are_stored_by_content_type(report, director, name, content, extension, content_type, settings):
    _save_with_file(report, director, upload(name, content))
    evidence = Evidence.objects.get()
    assert (evidence.extension, evidence.content_type, evidence.original_name) == (extension, content_type, name)
    assert evidence.file.name.endswith(f"{evidence.token}{extension}")
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("отчёт.pdf", EXE_BYTES),  # a renamed .exe
        ("таблица.xlsx", ooxml("payload.bin")),  # a zip that is not a workbook
        ("архив.docx", b"PK\x03\x04" + b"\x00" * 100),  # broken zip
        ("скрипт.doc", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_disallowed_content_is_rejected(report, director, name, content):
    with pytest.raises(Exception) as exc:
        _save_with_file(report, director, upload(name, content, "application/pdf"))
    assert f"Файл «{name}» не принят: по содержимому это не документ допустимого типа" in str(exc.value)
    assert not Evidence.objects.exists()
    report.refresh_from_db()
    assert report.version == 1  # nothing half-written


def test_file_over_the_size_cap_is_rejected(report, director, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(Exception) as exc:
        _save_with_file(report, director, upload("big.pdf", PDF_BYTES + b"0" * 2000))
    assert "слишком большой" in str(exc.value) and "1,0" in str(exc.value)


def test_renamed_exe_via_form_shows_russian_error(client, report, director):
    client.force_login(director)
    line = report.lines.first()
    response = client.post(
        reverse("roadmaps:report-detail", args=[report.pk]),
        {"version": 1, "action": "save", f"line-{line.pk}-files": upload("приказ.pdf", EXE_BYTES)},
    )
    assert response.status_code == 400
    assert "не принят: по содержимому это не документ допустимого типа" in response.content.decode()


def test_evidence_download_scoped_with_safe_headers(client, report, director, methodist, outsider_director):
    _save_with_file(report, director, upload("приказ №5.pdf", PDF_BYTES))
    evidence = Evidence.objects.get()
    url = reverse("roadmaps:evidence-download", args=[evidence.pk])
    client.force_login(methodist)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert client.post(url).status_code == 405
    client.force_login(outsider_director)
    assert client.get(url).status_code == 404


def test_media_url_is_not_served(client, report, director):
    _save_with_file(report, director, upload("приказ.pdf", PDF_BYTES))
    evidence = Evidence.objects.get()
    client.force_login(director)
    assert client.get("/media-not-served/" + evidence.file.name).status_code == 404


def test_evidence_delete_is_recorded_in_history(client, report, director):
    _save_with_file(report, director, upload("приказ.pdf", PDF_BYTES))
    evidence = Evidence.objects.get()
    report.refresh_from_db()
    services.report_save(report=report, user=director, version=report.version, lines={}, delete_evidence=[evidence.pk])
    assert not Evidence.objects.exists()
    client.force_login(director)
    html = client.get(reverse("roadmaps:report-detail", args=[report.pk])).content.decode()
    assert "Загружен файл «приказ.pdf»" in html
    assert "Удалён файл «приказ.pdf»" in html


def test_other_reports_evidence_cannot_be_deleted(report, director, other_school):
    other_line = f.ActivityReportFactory(report=f.QuarterlyReportFactory(roadmap=f.RoadmapFactory(school=other_school)))
    foreign = Evidence.objects.create(
        line=other_line,
        token="x" * 32,
        file="evidence/x.pdf",
        extension=".pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )
    report.refresh_from_db()
    services.report_save(report=report, user=director, version=report.version, lines={}, delete_evidence=[foreign.pk])
    assert Evidence.objects.filter(pk=foreign.pk).exists()
