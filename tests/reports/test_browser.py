"""In Chromium: a methodist prepares a reference, a head signs it, anyone verifies the PDF, and the
coordinator downloads the signed ones — with no JavaScript, CSP or static-file error."""

from __future__ import annotations

import io
import zipfile

import pytest

from reports.models import AnalyticalReference, ReferenceVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reference_from_draft_to_verified_signature(
    page,
    live_server,
    login,
    shot,
    scenario,
    methodist,
    head,
    coordinator,
):
    base = live_server.url
    login(page, live_server, methodist.username)
    page.goto(f"{base}/references/new/")
    page.get_by_label("Шаблон").select_option("methodical-help")
    page.get_by_label("Период с").fill("2020-09-01")
    page.get_by_label("Период по").fill("2021-06-30")
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(f"{base}/references/*/")
    assert page.get_by_text("Выводы и замечания предложены порталом по данным.").first.is_visible()
    assert "2 (66,67%)" in page.locator("body").inner_text()
    reference = AnalyticalReference.objects.get()

    # The drafted text is reviewed: one recommendation added through the formset's JavaScript.
    page.get_by_role("link", name="Текст справки").first.click()
    page.get_by_role("button", name="Добавить рекомендацию").click()
    page.locator("input[name='rec-1-addressee']").fill("Директору МОУ «Бета ООШ» (Бударов А.В.)")
    page.locator("textarea[name='rec-1-text']").fill("организовать посещение школы методистом")
    page.locator("input[name='rec-1-deadline']").fill("до 01.10.2021")
    page.get_by_role("button", name="Сохранить текст").click()
    page.wait_for_url(f"{base}/references/{reference.pk}/")
    page.get_by_role("button", name="Сформировать PDF").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Открыть PDF").is_visible()
    page.get_by_role("button", name="Направить на подписание").click()
    assert page.get_by_text("Справка направлена руководителю на подписание.").is_visible()
    shot(page, "reference-sent")

    page.context.clear_cookies()
    login(page, live_server, head.username)
    page.get_by_role("link", name=reference.title[:40], exact=False).first.click()
    page.get_by_label("Исходящий номер").fill("00-14/08-2729")
    shot(page, "reference-sign")
    page.get_by_role("button", name="Подписать", exact=True).click()
    page.wait_for_url(f"{base}/references/{reference.pk}/")
    assert page.get_by_text("Справка подписана.").first.is_visible()
    version = ReferenceVersion.objects.get(reference=reference)
    assert version.is_signed and version.pdf_sha256

    page.context.clear_cookies()
    page.goto(f"{base}/verify/{version.code}/")
    body = page.locator("body").inner_text()
    assert reference.title in body and "00-14/08-2729" in body
    page.set_input_files(
        "input[name=file]", {"name": "spravka.pdf", "mimeType": "application/pdf", "buffer": bytes(version.pdf)}
    )
    page.get_by_role("button", name="Проверить").click()
    assert page.get_by_text("Документ подлинный.").is_visible()
    tampered = bytes(version.pdf).replace(b"%%EOF", b"%%EOF\n%", 1)
    page.set_input_files("input[name=file]", {"name": "copy.pdf", "mimeType": "application/pdf", "buffer": tampered})
    page.get_by_role("button", name="Проверить").click()
    assert page.get_by_text("Документ не совпадает с подписанным экземпляром.").is_visible()
    shot(page, "reference-verify-mismatch")

    login(page, live_server, coordinator.username)
    page.goto(f"{base}/references/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать подписанные (ZIP, 1)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    [name] = archive.namelist()
    assert archive.read(name) == bytes(version.pdf)
