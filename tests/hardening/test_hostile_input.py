"""Hostile-input sweep generated from the URLconf: no value a user can type gets a server error.

For every named route (Django's admin aside) and every role — the five roles of school A's world of
the access sweep, an admin and an anonymous visitor — the sweep opens the page, reads its forms, and
replays each query parameter and each form field with hostile values (30-digit numbers, negative
numbers, text, impossible dates, `2026-Q9`, 5,000 characters, year 1). It also sends the query
parameters that list pages read (`school`, `year`, `period`, …) and an id of 30 digits in place of
every id of the route. Any 5xx fails the test; refusals (4xx, a form with errors, a redirect with a
message) are what is expected. A new route is swept without anyone writing its test.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse, reverse_lazy

from tests import factories as f
from tests.hardening import test_access_sweep
from tests.hardening.test_access_sweep import REGISTRY, World, walk

world = test_access_sweep.world  # the access sweep's world of school A, as a fixture here too

HOSTILE = (
    "9" * 30,
    "-1",
    "текст",
    "31.02.2021",
    "2026-Q9",
    "x" * 5000,
    "01.01.0001",
    "99999",
)
# Query parameters that the portal's pages read; sent to every page besides the fields of its forms.
COMMON_PARAMETERS = (
    "school",
    "municipality",
    "region",
    "year",
    "academic_year",
    "period",
    "quarter",
    "status",
    "date_from",
    "date_to",
    "page",
    "sort",
    "q",
    "template",
    "category",
)
# Routes whose handling ends the session or would lock the sweep's users out.
SKIPPED = {"portal:logout"}
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
LOGIN_PATH = reverse_lazy("portal:login")


class _Forms(HTMLParser):
    """The forms of a page: method, action and the names with their current values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._current)
        elif self._current is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._current["fields"].setdefault(a["name"], "")
            else:
                self._current["fields"][a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._current["fields"][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self._current["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self._current["fields"][self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def routes() -> list[str]:
    return sorted(name for name, _kwargs, _route in walk() if not name.startswith("admin:") and name not in SKIPPED)


def _kwargs(name: str, world: World) -> dict | None:
    kwargs = {k for n, k, _ in walk() if n == name}.pop()
    if not kwargs:
        return {}
    if name == "verify":
        return {"code": world.objects["version"].code}
    entry = REGISTRY.get(name)
    return entry.kwargs(world) if entry else None


def _users(world: World) -> dict:
    users = dict(world.insiders)
    users["admin"] = f.UserFactory(is_staff=True, is_superuser=True)
    users["anonymous"] = None
    return users


def _check(response, what: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{what}: {response.status_code}")


def _forms_of(response) -> list[dict]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.forms


def _same_site_path(action: str, url: str) -> str | None:
    path = urlsplit(action).path if action else url
    return path if path.startswith("/") else None


@pytest.mark.parametrize("name", routes())
def test_no_hostile_value_gets_a_server_error(client, world, name):
    kwargs = _kwargs(name, world)
    if kwargs is None:
        pytest.fail(f"{name}: a route with ids needs an entry in the access sweep's REGISTRY")
    url = reverse(name, kwargs=kwargs)
    client.raise_request_exception = False
    failures: list[str] = []
    for role, user in _users(world).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.get(url)
        _check(page, f"GET {url} as {role}", failures)
        if user is None and page.status_code == 302 and page.url.startswith(str(LOGIN_PATH)):
            continue  # login_required answers before the view reads anything: no value can reach it
        forms = _forms_of(page)
        for value in HOSTILE:
            _check(client.get(url, dict.fromkeys(COMMON_PARAMETERS, value)), f"GET ?…={value[:12]} as {role}", failures)
        for form in forms:
            target = _same_site_path(form["action"], url)
            if target is None:
                continue
            for field in sorted(set(form["fields"]) - SKIPPED_FIELDS):
                for value in HOSTILE:
                    data = {**form["fields"], field: value}
                    response = client.get(target, data) if form["method"] == "get" else client.post(target, data)
                    _check(response, f"{form['method'].upper()} {target} {field}={value[:12]} as {role}", failures)
        if not forms:
            for value in HOSTILE:
                _check(client.post(url, dict.fromkeys(COMMON_PARAMETERS, value)), f"POST {url} as {role}", failures)
    # An id nobody has, far beyond the database's integer range, in place of each of the route's ids.
    for key, current in kwargs.items():
        if not isinstance(current, int):
            continue
        try:
            huge = reverse(name, kwargs={**kwargs, key: 10**30})
        except NoReverseMatch:
            continue
        client.force_login(world.insiders["methodist"])
        _check(client.get(huge), f"GET {huge}", failures)
        _check(client.post(huge, {}), f"POST {huge}", failures)
    assert not failures, f"{name}: {len(failures)} server errors, first ones: {failures[:8]}"
