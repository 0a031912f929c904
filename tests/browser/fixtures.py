"""The one Playwright set-up of the suite: Debian's Chromium (/usr/bin/chromium) against pytest-django's
live_server. tests/conftest.py loads it as a plugin, so every browser test anywhere under tests/ asks for
`page`, `login` and `shot` by name, without importing them.

Never `playwright install`: the machines have no internet; Playwright drives the system Chromium.
Use them as::

    @pytest.mark.browser
    def test_something(page, live_server, login, shot, director):
        login(page, live_server, director.username)
        shot(page, "director-home")
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, require_service

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium per test module.

    Playwright's sync API keeps an event loop running in this thread while it is open, which makes
    Django refuse ORM calls; the ORM calls the tests make between page actions are still plain
    synchronous code, so async-safety is lifted for exactly as long as the browser is open (the
    module scope keeps the loop, and the lifted check, out of every other test).
    """
    require_service(f"Chromium at {CHROMIUM}", CHROMIUM.exists())
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, catalogues) -> Iterator:
    """A fresh context per test (no cookies carried over), Russian locale, Moscow time.

    Browser tests run on committed data (live_server); `catalogues` puts back the data migrations'
    catalogues that an earlier transactional test flushed.
    """
    context = browser.new_context(
        locale="ru-RU",
        timezone_id="Europe/Moscow",
        viewport={"width": 1366, "height": 900},
        ignore_https_errors=False,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []

    def on_response(response) -> None:
        # A page under test may be a 403/404 on purpose; its scripts, styles and images may not.
        request = response.request
        if response.status >= 400 and request.resource_type != "document" and not request.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {request.url}")

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    context.close()
    assert not errors, f"JavaScript, CSP or static-file errors in the browser: {errors}"


def login(page, live_server, username: str, password: str = "demo") -> None:
    """Log in through the real login form and wait until the portal leaves the login page."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


def shot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(name="login")
def login_fixture() -> Callable[..., None]:
    return login


@pytest.fixture(name="shot")
def shot_fixture() -> Callable[[object, str], Path]:
    return shot
