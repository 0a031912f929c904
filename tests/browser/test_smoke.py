"""A person's first minute: the login page, a wrong password, then a director's home page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_director_logs_in_and_sees_their_school(page, live_server, login, shot, director, school):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.get_by_role("heading", name="Вход в портал").is_visible()
    # Bootstrap is served from static/: the primary button is styled, not a bare grey button.
    color = page.get_by_role("button", name="Войти").evaluate("el => getComputedStyle(el).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)")
    shot(page, "login")

    page.get_by_label("Логин").fill(director.username)
    page.get_by_label("Пароль").fill("not-the-password")
    page.get_by_role("button", name="Войти").click()
    assert page.get_by_text("Неверный логин или пароль").is_visible()

    login(page, live_server, director.username)
    assert page.url == f"{live_server.url}/"
    body = page.locator("body").inner_text()
    assert "Директор ОО" in body
    assert school.name in body
    shot(page, "director-home")
