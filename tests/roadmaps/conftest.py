"""Fixtures of the roadmaps tests: a roadmap for the current quarter with three activities."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from core.calendar import current_quarter, quarter_academic_year, quarter_bounds
from roadmaps import services
from roadmaps.models import QuarterlyReport
from tests import factories as f

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def catalogues(transactional_db):
    """Directions and activity types for transactional tests: an earlier transactional test may have
    flushed the migration data, and serialized rollback clashes with content types recreated by such a
    flush, so the catalogue migration's loader is simply run again when the catalogue is empty."""
    from importlib import import_module

    from django.apps import apps

    from roadmaps.models import ActivityType

    if not ActivityType.objects.exists():
        import_module("roadmaps.migrations.0002_catalogues").load(apps, None)


@pytest.fixture
def quarter():
    return current_quarter()


@pytest.fixture
def roadmap(school, quarter):
    year, q = quarter
    roadmap = f.RoadmapFactory(school=school, academic_year=quarter_academic_year(year, q))
    start, end = quarter_bounds(year, q)
    f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type("teachers-09"), due_on=end)
    f.ActivityFactory(
        roadmap=roadmap, activity_type=f.activity_type("parents-02"), due_on=start + dt.timedelta(days=20)
    )
    f.ActivityFactory(
        roadmap=roadmap, activity_type=None, title="Собственное мероприятие школы", due_on=end, starts_on=start
    )
    return roadmap


@pytest.fixture
def report(roadmap, quarter, director) -> QuarterlyReport:
    year, q = quarter
    return services.report_create(roadmap=roadmap, year=year, quarter=q, user=director)


def fill_lines(report: QuarterlyReport, user, **overrides) -> QuarterlyReport:
    report.refresh_from_db()
    values = {"status": "done", "result": "Проведено, 12 педагогов", "participants": 12, **overrides}
    services.report_save(
        report=report,
        user=user,
        version=report.version,
        lines={line.pk: dict(values) for line in report.lines.all()},
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def submitted_report(report, director):
    fill_lines(report, director)
    services.report_submit(report=report, user=director)
    report.refresh_from_db()
    return report


@pytest.fixture
def approved_report(submitted_report, methodist):
    services.report_approve(report=submitted_report, user=methodist)
    submitted_report.refresh_from_db()
    return submitted_report


@pytest.fixture
def outsider_director(other_school):
    return f.user_with_role("director", school=other_school)


@pytest.fixture
def outsider_methodist(other_school):
    return f.user_with_role("methodist", municipality=other_school.municipality)


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")


@pytest.fixture
def browser_page(transactional_db, live_server):
    """A Playwright page on Debian's Chromium; skipped without it (fails under CI=true)."""
    from tests.conftest import require_service

    path = chromium_path()
    require_service("Chromium (/usr/bin/chromium)", bool(path))
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the test makes
    # between page actions are plain synchronous code, so the async-safety check is lifted for as long
    # as the browser is open, and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=ru-RU"],
        )
        context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
