"""Every role's work in a real browser (Playwright + Debian Chromium against the live server).

What other files already drive in Chromium is not repeated here: the director's report with evidence,
submit, return, fix and resubmit is tests/roadmaps/test_browser_journey.py; the methodical-help
reference with its recommendations formset, the tampered-file check and the ZIP of signed references
is tests/reports/test_browser.py. This file adds the methodist's review, visit and monitoring round;
a roadmap-monitoring reference from the methodist through the head's signature to the coordinator's
single signed PDF checked on the public page; the coordinator's registry change; the admin's
workbook import. Each step is checked on the page and in the database; screenshots go to
test-artifacts/screenshots/journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from monitoring.models import Campaign, IndicatorValue, MethodicalVisit
from reports.models import AnalyticalReference, ReferenceStatus, ReferenceVersion
from roadmaps.models import ReportStatus
from schools.models import RegistryEntry
from tests import factories as f
from tests.fixtures.workbooks import OO_HEADER, REGISTRY_HEADER
from tests.reports.conftest import pdf_text, squash

from .journey_fixtures import (  # noqa: F401 - fixtures
    district,
    district_director,
    ended_district,
    ended_submitted_report,
    submitted_report,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _body(page) -> str:
    return page.locator("body").inner_text()


def _fill_date(field, value: dt.date) -> None:
    """Type a date the way the field takes it: a native picker wants ISO, a text field ДД.ММ.ГГГГ."""
    field.fill(value.isoformat() if field.get_attribute("type") == "date" else f"{value:%d.%m.%Y}")


def _menu(page, name: str | re.Pattern) -> None:
    """Follow a main-menu link, opening its dropdown first when the bar folds it into one."""
    nav = page.get_by_role("navigation", name="Основная навигация")
    link = nav.get_by_role("link", name=name, exact=isinstance(name, str), include_hidden=True).first
    if not link.is_visible():
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/button").click()
    link.click()


def test_methodist_approves_report_records_visit_and_runs_monitoring(
    page,
    live_server,
    login,
    shot,
    district,  # noqa: F811
    submitted_report,  # noqa: F811
    methodist,
):
    base = live_server.url
    school = district.school
    today = timezone.localdate()

    # 1. The review queue on the home page leads to the submitted report; the methodist approves it.
    login(page, live_server, methodist.username)
    page.get_by_role("link", name=re.compile("На проверке:")).click()
    page.get_by_role("link", name=school.name).first.click()
    page.wait_for_url(f"{base}/roadmaps/reports/{submitted_report.pk}/")
    shot(page, "journey-methodist-01-review")
    page.get_by_role("button", name="Утвердить отчёт").click()
    page.wait_for_selector("text=Отчёт утверждён.")
    assert page.inner_text("#report-status") == "утверждён"
    shot(page, "journey-methodist-02-approved")
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED
    assert submitted_report.transitions.last().actor_id == methodist.pk

    # 2. A methodical visit to the school, recorded through the form.
    _menu(page, "Посещения")
    page.get_by_role("link", name="Записать посещение").click()
    page.get_by_label("ОО").select_option(label=f"{school.name} ({district.municipality.name})")
    _fill_date(page.get_by_label("Дата посещения"), today)
    page.get_by_label("Кто посетил").fill("Ананьева Ю.В., методист ММЦ")
    page.get_by_label("Цель").fill("Методическая помощь по подготовке к ВПР по математике")
    page.get_by_label("Результат").fill("Проведён разбор типичных ошибок, даны рекомендации учителям")
    shot(page, "journey-methodist-03-visit-form")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"{base}/monitoring/visits/")
    assert f"Посещение {school.name} {today:%d.%m.%Y} сохранено." in _body(page)
    assert page.locator("table tbody tr", has_text=school.name).count() == 1
    visit = MethodicalVisit.objects.get()
    assert (visit.school_id, visit.date, visit.recorded_by_id) == (school.pk, today, methodist.pk)
    assert visit.purpose == "Методическая помощь по подготовке к ВПР по математике"

    # 3. A monitoring round for the municipality's registry schools, then one school's values.
    _menu(page, re.compile(r"^Мониторинг"))
    page.get_by_role("link", name="Открыть мониторинг").click()
    page.get_by_label("Название").fill("Мониторинг повышения квалификации, I полугодие")
    page.get_by_label("Территория").select_option(label=district.municipality.name)
    _fill_date(page.get_by_label("Период с"), district.year_start)
    _fill_date(page.get_by_label("Период по"), district.quarter_bounds[1])
    _fill_date(page.get_by_label("Срок внесения"), district.quarter_bounds[1])
    trained = f.indicator("teachers_trained")
    participants = f.indicator("contest_participants")
    page.get_by_label(trained.name, exact=True).check()
    page.get_by_label(participants.name, exact=True).check()
    shot(page, "journey-methodist-04-campaign-form")
    page.get_by_role("button", name="Открыть мониторинг").click()
    page.wait_for_url(re.compile(r".*/monitoring/campaigns/\d+/$"))
    assert "Мониторинг «Мониторинг повышения квалификации, I полугодие» открыт: ОО — 2." in _body(page)
    assert "заполнили полностью: 0 из 2" in _body(page)
    campaign = Campaign.objects.get()
    assert set(campaign.schools.values_list("pk", flat=True)) == {school.pk, district.second.pk}
    assert set(campaign.indicators.values_list("code", flat=True)) == {"teachers_trained", "contest_participants"}

    page.locator("tr", has_text=school.name).get_by_role("link", name="Внести за ОО").click()
    page.get_by_label(trained.name, exact=True).fill("11")
    page.get_by_label(f"{trained.name}: из").fill("17")
    page.get_by_label(participants.name, exact=True).fill("4")
    shot(page, "journey-methodist-05-campaign-values")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"{base}/monitoring/campaigns/{campaign.pk}/")
    assert "Значения сохранены: добавлено 2, изменено 0, удалено 0." in _body(page)
    assert "заполнили полностью: 1 из 2" in _body(page)
    shot(page, "journey-methodist-06-campaign-detail")
    values = {v.indicator.code: v for v in IndicatorValue.objects.filter(campaign=campaign, school=school)}
    assert values["teachers_trained"].value == Decimal(11) and values["teachers_trained"].denominator == 17
    assert values["contest_participants"].value == Decimal(4)
    assert not IndicatorValue.objects.filter(school=district.second).exists()


def test_reference_goes_from_methodist_through_head_to_coordinator_and_verifies(
    page,
    live_server,
    login,
    shot,
    ended_district,  # noqa: F811
    ended_submitted_report,  # noqa: F811
    methodist,
    head,
    coordinator,
    tmp_path,
):
    from roadmaps import services as roadmap_services

    # A reference is signed after its period has ended: the district's previous quarter.
    district = ended_district  # noqa: F811
    roadmap_services.report_approve(
        report=ended_submitted_report, user=methodist, version=ended_submitted_report.version
    )
    base = live_server.url
    period_from = min(district.year_start, district.quarter_bounds[0])
    period_to = district.quarter_bounds[1]

    # 1. The methodist builds a roadmap-monitoring reference for the municipality, renders it, sends it.
    login(page, live_server, methodist.username)
    _menu(page, "Аналитические справки")
    page.get_by_role("link", name="Новая справка").click()
    page.get_by_label("Шаблон").select_option("roadmap-monitoring")
    page.get_by_label("Территория").select_option(f"municipality:{district.municipality.code}")
    _fill_date(page.get_by_label("Период с"), period_from)
    _fill_date(page.get_by_label("Период по"), period_to)
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(re.compile(r".*/references/\d+/$"))
    reference = AnalyticalReference.objects.get()
    body = _body(page)
    # The approved report counts: its two done lines are two activity types of one school out of two.
    assert "курсы повышения квалификации\t1\t50,00" in body
    assert "мероприятия «дорожных карт» выполнены (по утверждённым отчётам) в 1 (50,00%) ОО из 2" in body
    assert "Замечания" in body and "МОУ «Никольская СОШ»" in body
    shot(page, "journey-reference-01-draft")

    page.get_by_role("link", name="Текст справки").first.click()
    decision = "Директору МОУ «Никольская СОШ» представить отчёт о выполнении «дорожной карты» до 15.01."
    page.get_by_label("Управленческие решения").fill(decision)
    page.get_by_role("button", name="Сохранить текст").click()
    page.wait_for_url(f"{base}/references/{reference.pk}/")
    assert "Текст справки сохранён." in _body(page)
    page.get_by_role("button", name="Сформировать PDF").click()
    page.wait_for_url(f"{base}/references/{reference.pk}/")
    assert page.get_by_role("link", name="Открыть PDF").is_visible()
    page.get_by_role("button", name="Направить на подписание").click()
    assert page.get_by_text("Справка направлена руководителю на подписание.").is_visible()
    shot(page, "journey-reference-02-sent")
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.SENT
    assert reference.decisions == decision
    sent = ReferenceVersion.objects.get(pk=reference.current_version_id)
    assert bytes(sent.pdf).startswith(b"%PDF") and sent.signed_at is None
    assert squash(decision) in pdf_text(bytes(sent.pdf))

    # 2. The head finds it among the references and signs it with an outgoing number.
    page.context.clear_cookies()
    login(page, live_server, head.username)
    _menu(page, "Аналитические справки")
    row = page.locator("tbody tr", has_text="мониторинга реализации")
    assert "на подписании" in row.inner_text()
    row.get_by_role("link").first.click()
    page.get_by_role("link", name="Подписать или вернуть").click()
    page.get_by_label("Инициалы и фамилия").fill("Н.А. Бозина")
    page.get_by_label("Должность").fill("Начальник управления образования")
    page.get_by_label("Исходящий номер").fill("01-12/3456")
    shot(page, "journey-reference-03-sign-form")
    page.get_by_role("button", name="Подписать", exact=True).click()
    page.wait_for_url(f"{base}/references/{reference.pk}/")
    assert page.get_by_text("Справка подписана.").first.is_visible()
    shot(page, "journey-reference-04-signed")
    reference.refresh_from_db()
    assert reference.status == ReferenceStatus.SIGNED
    signed = ReferenceVersion.objects.get(pk=reference.current_version_id)
    assert signed.is_signed and signed.signed_by_id == head.pk and signed.signed_number == "01-12/3456"
    assert bytes(signed.pdf).startswith(b"%PDF")
    assert signed.pdf_sha256 == hashlib.sha256(bytes(signed.pdf)).hexdigest()

    # 3. The coordinator of the region downloads that one signed PDF and checks it on the public page.
    page.context.clear_cookies()
    login(page, live_server, coordinator.username)
    _menu(page, "Аналитические справки")
    row = page.locator("tbody tr", has_text="мониторинга реализации")
    with page.expect_download() as download:
        row.get_by_role("link", name="Скачать (версия 1)").click()
    downloaded = Path(download.value.path()).read_bytes()
    assert downloaded.startswith(b"%PDF") and downloaded == bytes(signed.pdf)
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(downloaded)
    assert squash(signed.code) in text and squash("УТВЕРЖДАЮ Начальник управления образования Н.А. Бозина") in text
    assert squash("№ 01-12/3456") in text

    row.get_by_role("link").first.click()
    page.get_by_role("link", name=signed.code).click()
    page.wait_for_url(f"{base}/verify/{signed.code}/")
    body = _body(page)
    assert "подписан" in body and "Н.А. Бозина" in body and "01-12/3456" in body
    saved = tmp_path / "spravka.pdf"
    saved.write_bytes(downloaded)
    page.set_input_files("input[name=file]", str(saved))
    page.get_by_role("button", name="Проверить").click()
    assert page.get_by_text("Документ подлинный.").is_visible()
    shot(page, "journey-reference-05-verified")


def test_coordinator_excludes_and_includes_schools_in_the_registry(
    page,
    live_server,
    login,
    shot,
    district,  # noqa: F811
    coordinator,
):
    base = live_server.url
    today = timezone.localdate()
    label = f"{district.academic_year}/{district.academic_year + 1}"
    newcomer = f.SchoolFactory(municipality=district.municipality, name="МКОУ «Бессоновская ООШ»")

    login(page, live_server, coordinator.username)
    _menu(page, "Реестр")
    assert page.locator("table tbody tr").count() == 2
    shot(page, "journey-coordinator-01-registry")

    # 1. Exclusion needs a justification: without one the form says so and nothing changes.
    page.get_by_role("link", name=district.second.name).click()
    page.get_by_role("link", name="Исключить из реестра").click()
    _fill_date(page.get_by_label("Дата исключения"), today)
    page.get_by_role("button", name="Исключить из реестра").click()
    assert page.get_by_text("Укажите обоснование исключения.").is_visible()
    shot(page, "journey-coordinator-02-exclude-error")
    entry = RegistryEntry.objects.get(school=district.second)
    assert entry.excluded_on is None and entry.exclusion_reason == ""

    reason = "Результаты ВПР и ОГЭ выше региональных значений третий год подряд; риски сняты."
    page.get_by_label("Обоснование исключения").fill(reason)
    page.get_by_role("button", name="Исключить из реестра").click()
    page.wait_for_url(f"{base}/schools/{district.second.pk}/#registry")
    assert f"ОО исключена из реестра {label} учебного года." in _body(page)
    history = page.locator("#registry tbody tr").first.inner_text()
    assert f"{today:%d.%m.%Y}" in history and reason in history
    shot(page, "journey-coordinator-03-excluded")
    entry.refresh_from_db()
    assert (entry.excluded_on, entry.exclusion_reason) == (today, reason)

    # 2. A school outside the registry is included from its card.
    _menu(page, "Школы")
    page.get_by_role("link", name=newcomer.name).click()
    page.get_by_role("link", name="Добавить запись реестра").click()
    page.get_by_label("Учебный год").select_option(str(district.academic_year))
    page.get_by_label("Категория").select_option("shnor")
    basis = "Результаты ВПР по математике ниже региональных значений два года подряд."
    page.get_by_label("Основание включения").fill(basis)
    _fill_date(page.get_by_label("Дата включения"), today)
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"{base}/schools/{newcomer.pk}/#registry")
    assert f"Запись реестра за {label} учебный год добавлена." in _body(page)
    added = RegistryEntry.objects.get(school=newcomer)
    assert (added.academic_year, added.category, added.basis, added.included_on, added.excluded_on) == (
        district.academic_year,
        "shnor",
        basis,
        today,
        None,
    )

    # 3. The registry of the year shows both changes.
    _menu(page, "Реестр")
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    assert f"{today:%d.%m.%Y}" in rows.filter(has_text=district.second.name).inner_text()
    assert basis in rows.filter(has_text=newcomer.name).inner_text()
    stats = page.locator(".stat-card").all_inner_texts()
    assert [s.split()[0] for s in stats] == ["3", "2", "1", "1"]
    shot(page, "journey-coordinator-04-registry-after")
    assert RegistryEntry.objects.filter(academic_year=district.academic_year, excluded_on__isnull=True).count() == 2


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(municipality, *, teachers: object) -> bytes:
    """Two new schools and their registry entries; `teachers` of the second school is the knob."""
    from tests.fixtures.workbooks import make_workbook

    return make_workbook(
        {
            "ОО": [
                OO_HEADER,
                ["IMP-01", "МОУ «Алексеевская СОШ»", municipality.code, "СОШ", "Орлова Е.В.", 21, 240, "нет"],
                ["IMP-02", "МОУ «Бехтеевская ООШ»", municipality.name, "ООШ", "Ситников А.П.", teachers, 95, "нет"],
            ],
            "Реестр": [
                REGISTRY_HEADER,
                ["IMP-01", "2020/2021", "ШНОР", "Низкие результаты ВПР", "01.09.2020", "", "", "", ""],
                ["IMP-02", "2020/2021", "ШФНСУ", "Неблагоприятные социальные условия", "01.09.2020", "", "", "", ""],
            ],
        }
    )


def test_admin_imports_a_workbook_with_an_error_then_a_good_one(
    page,
    live_server,
    login,
    shot,
    municipality,
    admin_user,
):
    from core.models import ImportJob
    from schools.models import School

    schools_before = School.objects.count()

    # 1. A workbook with a word where a number of teachers belongs: row-numbered error, nothing written.
    login(page, live_server, admin_user.username)
    _menu(page, "Импорт данных")
    page.get_by_label("Книга Excel (.xlsx)").set_input_files(
        {"name": "ОО с ошибкой.xlsx", "mimeType": XLSX, "buffer": _workbook(municipality, teachers="восемь")}
    )
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    page.wait_for_selector("text=Найдены ошибки: 2. Ничего не записано.")
    # The bad cell, and the registry row that refers to the school of that rejected row.
    errors = [row.locator("td").all_inner_texts() for row in page.locator(".card.border-danger tbody tr").all()]
    assert errors == [
        ["ОО", "F3", "ожидается целое число, получено «восемь»"],
        ["Реестр", "A3", "ОО «IMP-02» не записана: исправьте её строку 3 на листе «ОО»"],
    ]
    assert not page.get_by_role("button", name="Подтвердить импорт").count()
    shot(page, "journey-admin-01-import-errors")
    bad = ImportJob.objects.get()
    assert bad.status == ImportJob.Status.INVALID and bad.error_count == 2
    assert School.objects.count() == schools_before
    assert not RegistryEntry.objects.exists()

    # 2. The corrected workbook: a preview of what will be created, written only after confirmation.
    page.get_by_role("link", name="Загрузить исправленный файл").click()
    page.get_by_label("Книга Excel (.xlsx)").set_input_files(
        {"name": "ОО исправлено.xlsx", "mimeType": XLSX, "buffer": _workbook(municipality, teachers=8)}
    )
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    page.wait_for_selector("text=Ошибок не найдено.")
    preview = _body(page)
    assert "МОУ «Алексеевская СОШ»" in preview and "МОУ «Бехтеевская ООШ»" in preview
    changes = page.locator("table", has_text="Действие").locator("tbody tr")
    assert changes.count() == 4 and all("создание" in t for t in changes.all_inner_texts())
    shot(page, "journey-admin-02-import-preview")
    good = ImportJob.objects.exclude(pk=bad.pk).get()
    assert good.status == ImportJob.Status.CHECKED
    assert School.objects.count() == schools_before and not RegistryEntry.objects.exists()

    page.get_by_role("button", name="Подтвердить импорт").click()
    page.wait_for_selector("text=Импорт выполнен: создано 4, изменено 0.")
    shot(page, "journey-admin-03-import-done")
    good.refresh_from_db()
    assert good.status == ImportJob.Status.DONE and (good.created_count, good.updated_count) == (4, 0)
    second = School.objects.get(code="IMP-02")
    assert (second.name, second.municipality_id, second.teachers_count) == (
        "МОУ «Бехтеевская ООШ»",
        municipality.pk,
        8,
    )
    entries = dict(RegistryEntry.objects.values_list("school__code", "category"))
    assert entries == {"IMP-01": "shnor", "IMP-02": "shfnsu"}
