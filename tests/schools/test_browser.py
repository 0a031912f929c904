"""In Chromium: the directory's filters, the card and an edit form with an error work with no
JavaScript, CSP or static-file error."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest

from schools.models import RegistryEntry, RiskFactor, RiskProfileEntry
from schools.selectors.directory import risk_factors_for_year
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _risk_catalogue() -> None:
    """An earlier transactional test's flush may have removed the catalogue that the data migration
    provides; put it back the way the migration does."""
    for order, (code, name) in enumerate(import_module("schools.migrations.0002_risk_factors").FACTORS, start=1):
        RiskFactor.objects.get_or_create(version=2021, code=code, defaults={"name": name, "order": order})


def test_methodist_filters_opens_card_and_sees_form_error(page, live_server, login, shot, methodist, school):
    f.RegistryEntryFactory(school=school, academic_year=2020, category="shnor")
    shfnsu = f.SchoolFactory(municipality=school.municipality, name="МКОУ Нагольненская СШ")
    f.RegistryEntryFactory(school=shfnsu, academic_year=2020, category="shfnsu")
    _risk_catalogue()
    factor = risk_factors_for_year(2021)[0]
    RiskProfileEntry.objects.create(school=shfnsu, year=2021, factor=factor, level="high")

    login(page, live_server, methodist.username)
    page.goto(f"{live_server.url}/schools/")
    assert page.locator("table.school-table tbody tr").count() == 2
    # A select submits its form by itself (static/js/schools.js).
    with page.expect_navigation():
        page.select_option("select[name=category]", "shfnsu")
    assert "category=shfnsu" in page.url
    rows = page.locator("table.school-table tbody tr")
    assert rows.count() == 1
    shot(page, "schools-list-filtered")

    rows.first.get_by_role("link", name="МКОУ Нагольненская СШ").click()
    page.wait_for_url(f"**/schools/{shfnsu.pk}/")
    assert page.get_by_role("heading", name="МКОУ Нагольненская СШ").is_visible()
    with page.expect_navigation():
        page.select_option("#risk-year", "2021")
    assert page.locator("#risk tbody tr").first.get_by_text("высокий").is_visible()
    shot(page, "schools-card")

    page.get_by_role("link", name="Добавить запись реестра").click()
    page.select_option("select[name=academic_year]", "2020")
    page.select_option("select[name=category]", "shnor")
    page.fill("input[name=included_on]", "01.09.2020")
    page.fill("input[name=excluded_on]", "15.08.2020")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить").click()
    body = page.content()
    assert "У этой ОО уже есть запись реестра за 2020/2021 учебный год" in body
    assert "Дата исключения (15.08.2020) не может быть раньше даты включения (01.09.2020)." in body
    assert "Укажите обоснование исключения" in body
    shot(page, "schools-registry-form-error")
    assert RegistryEntry.objects.filter(school=shfnsu).count() == 1
    assert RegistryEntry.objects.get(school=shfnsu).included_on == dt.date(2020, 9, 1)
