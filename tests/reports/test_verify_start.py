"""`/verify/`: anyone types the code printed on a reference (and may attach the PDF) and is taken to
`/verify/<code>/`; a code that finds nothing is a Russian message on the form; checks are rate-limited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .test_views import PDF, reference, signed, version  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_code_form_opens_without_login(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page and 'name="file"' in page and "Код проверки" in page


def test_a_typed_code_leads_to_its_page(client, signed):  # noqa: F811
    response = client.post("/verify/", {"code": signed.code})
    assert response.status_code == 302 and response["Location"] == f"/verify/{signed.code}/"


def test_case_spaces_dashes_and_cyrillic_lookalikes_do_not_matter(client, signed):  # noqa: F811
    typed = signed.code.lower().replace("-", " ").translate(str.maketrans("abekmhopctx", "авекмнорстх"))
    assert typed != signed.code.lower().replace("-", " ")  # the code holds a look-alike letter
    response = client.post("/verify/", {"code": f"  {typed} "})
    assert response.status_code == 302 and response["Location"] == f"/verify/{signed.code}/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Введите код проверки"),
        ("ABCD-EFGH", "Код проверки — 12 латинских букв и цифр"),
        ("ABCD-EFGH-23456", "Код проверки — 12 латинских букв и цифр"),
        ("ABCD-EFGH-$%^&", "Код проверки — 12 латинских букв и цифр"),
        ("AAAA-BBBB-CCCC", "Справка с кодом AAAA-BBBB-CCCC не найдена"),
        ("x" * 5000, "не более 40 символов"),
    ],
)
def test_a_bad_code_is_a_message_on_the_form(client, signed, typed, message):  # noqa: F811
    response = client.post("/verify/", {"code": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'name="code"' in page  # the form again, to correct the code


def test_the_attached_signed_pdf_is_checked_at_once(client, signed):  # noqa: F811
    upload = SimpleUploadedFile("spravka.pdf", PDF, content_type="application/pdf")
    response = client.post("/verify/", {"code": signed.code, "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Документ подлинный" in page and signed.reference.title in page


def test_an_attached_other_file_does_not_match(client, signed):  # noqa: F811
    upload = SimpleUploadedFile("spravka.pdf", PDF + b"%", content_type="application/pdf")
    page = client.post("/verify/", {"code": signed.code, "file": upload}).content.decode()
    assert "Документ не совпадает с подписанным экземпляром" in page and "Документ подлинный" not in page


def test_an_attached_file_of_an_unsigned_version_is_not_authentic(client, version):  # noqa: F811
    upload = SimpleUploadedFile("spravka.pdf", PDF, content_type="application/pdf")
    page = client.post("/verify/", {"code": version.code, "file": upload}).content.decode()
    assert "проект, не подписан" in page and "Документ подлинный" not in page


def test_an_oversized_attachment_is_refused(client, signed, monkeypatch):  # noqa: F811
    from reports import forms

    monkeypatch.setattr(forms, "VERIFY_MAX_BYTES", 10)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    response = client.post("/verify/", {"code": signed.code, "file": upload})
    assert response.status_code == 400 and "Файл больше" in response.content.decode()


def test_code_checks_are_rate_limited_with_the_file_checks(client, signed, monkeypatch):  # noqa: F811
    from reports.views import public

    monkeypatch.setattr(public, "VERIFY_RATE", (3, 600))
    assert client.post("/verify/", {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    assert client.post(f"/verify/{signed.code}/", {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 200
    assert client.post("/verify/", {"code": signed.code}).status_code == 302
    response = client.post("/verify/", {"code": signed.code})
    assert response.status_code == 429
    assert "Слишком много проверок" in response.content.decode()
    assert client.post(f"/verify/{signed.code}/", {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 429
    assert client.get(f"/verify/{signed.code}/").status_code == 200  # reading the page is not a check


def test_wrong_method(client):
    assert client.put("/verify/").status_code == 405


def test_an_unknown_code_page_links_back_to_the_form(client):
    page = client.get("/verify/AAAA-BBBB-CCCC/").content.decode()
    assert 'href="/verify/"' in page
