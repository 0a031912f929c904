"""The public verification page: who signed what, and whether an uploaded file is the signed one."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .test_views import PDF, reference, signed, version  # noqa: F401 - fixtures


def test_verify_shows_signature_without_login(client, signed):  # noqa: F811
    response = client.get(f"/verify/{signed.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (signed.reference.title, "Н.А. Бозина", "07.07.2021", "00-14/08-2729", signed.pdf_sha256):
        assert text in page


def test_the_signed_file_is_authentic(client, signed):  # noqa: F811
    upload = SimpleUploadedFile("spravka.pdf", PDF, content_type="application/pdf")
    page = client.post(f"/verify/{signed.code}/", {"file": upload}).content.decode()
    assert "Документ подлинный" in page


def test_a_modified_file_fails(client, signed):  # noqa: F811
    changed = PDF.replace(b"test document", b"Test document")
    assert changed != PDF
    upload = SimpleUploadedFile("spravka.pdf", changed, content_type="application/pdf")
    page = client.post(f"/verify/{signed.code}/", {"file": upload}).content.decode()
    assert "Документ не совпадает с подписанным экземпляром" in page
    assert "Документ подлинный" not in page


def test_unsigned_version_is_a_draft(client, version):  # noqa: F811
    page = client.get(f"/verify/{version.code}/").content.decode()
    assert "проект, не подписан" in page
    upload = SimpleUploadedFile("spravka.pdf", PDF, content_type="application/pdf")
    assert "Документ подлинный" not in client.post(f"/verify/{version.code}/", {"file": upload}).content.decode()


def test_unknown_code_and_wrong_method(client, signed):  # noqa: F811
    assert client.get("/verify/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/verify/not-a-code/").status_code == 404
    assert client.put(f"/verify/{signed.code}/").status_code == 405


def test_upload_is_size_capped(client, signed, settings, monkeypatch):  # noqa: F811
    from reports import forms

    monkeypatch.setattr(forms, "VERIFY_MAX_BYTES", 10)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    page = client.post(f"/verify/{signed.code}/", {"file": upload}).content.decode()
    assert "Файл больше" in page


def test_uploads_are_rate_limited(client, signed, monkeypatch):  # noqa: F811
    from reports.views import public

    monkeypatch.setattr(public, "VERIFY_RATE", (2, 600))
    for _ in range(2):
        client.post(f"/verify/{signed.code}/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    response = client.post(f"/verify/{signed.code}/", {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 429
    assert "Слишком много проверок" in response.content.decode()
