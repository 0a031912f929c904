"""In Chromium: the coverage page and the results chart render with no JavaScript or CSP error."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coverage_page_in_chromium(page, live_server, login, shot, methodist, municipality, school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    f.MethodicalVisitFactory(school=school, date=dt.date(2020, 12, 1))
    f.IndicatorValueFactory(
        school=school,
        indicator=f.indicator("teachers_trained"),
        period_from=dt.date(2020, 9, 1),
        period_to=dt.date(2021, 6, 30),
        value=11,
    )
    login(page, live_server, methodist.username)
    page.goto(
        f"{live_server.url}/monitoring/coverage/?scope=municipality:{municipality.code}"
        "&date_from=2020-09-01&date_to=2021-06-30"
    )
    body = page.locator("body").inner_text()
    assert "1 (100,00%)" in body
    assert "11/17" in body and "64,71" in body
    assert "Данные на " in body
    shot(page, "monitoring-coverage")
    page.get_by_role("link", name="1 (100,00%)").first.click()
    assert "Вошли в показатель (1)" in page.locator("body").inner_text()


def test_dynamics_chart_draws(page, live_server, login, shot, director, school):
    for year, average in ((2019, "3.58"), (2020, "3.33"), (2021, "3.61")):
        f.AssessmentResultFactory(school=school, year=year, procedure="vpr", subject="Русский язык", average=average)
    login(page, live_server, director.username)
    page.goto(f"{live_server.url}/monitoring/dynamics/school/{school.pk}/")
    canvas = page.locator("canvas[data-dynamics-chart='0']")
    points = canvas.evaluate("el => Chart.getChart(el).data.datasets[0].data")
    assert points == [3.58, 3.33, 3.61]
    assert (
        page.locator("td .text-decline").first.get_attribute("title") == "Снижение по сравнению с 2019 г.: 3,58 → 3,33"
    )
    shot(page, "monitoring-dynamics")
