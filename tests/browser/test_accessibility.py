"""axe-core (WCAG 2.1 A/AA) on the main pages of every role, over the demo data of `manage.py load_demo`.

Each role logs in through the form with its README login and visits its home page, its lists, a detail
page of each kind it reaches from a list, and its forms; any serious or critical violation on any page
fails the test, which names the page, the rule and the elements. docs/accessibility.md has the rules.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from .axe import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Follow:
    """Open `path`, then the first link of the page's main table whose address matches `href`."""

    path: str
    href: str


DETAIL_SCHOOL = Follow("/schools/", r"^/schools/\d+/$")
DETAIL_ROADMAP = Follow("/roadmaps/maps/", r"^/roadmaps/maps/\d+/$")
DETAIL_REPORT = Follow("/roadmaps/reports/", r"^/roadmaps/reports/\d+/$")
DETAIL_REFERENCE = Follow("/references/", r"^/references/\d+/$")

# login → the pages that role works with (README → Roles and demo logins).
ROLE_PAGES: dict[str, list[str | Follow]] = {
    "admin": [
        "/",
        "/schools/",
        "/schools/registry/",
        "/roadmaps/maps/",
        "/roadmaps/reports/",
        "/monitoring/visits/",
        "/monitoring/results/",
        "/monitoring/coverage/",
        "/references/",
        "/users/",
        "/imports/",
        "/monitoring/campaigns/new/",
        DETAIL_SCHOOL,
    ],
    "coord.belgorod": [
        "/",
        "/schools/registry/",
        "/roadmaps/reports/",
        "/roadmaps/status/",
        "/monitoring/coverage/",
        "/monitoring/campaigns/",
        "/references/",
        "/references/new/",
        "/imports/",
        DETAIL_SCHOOL,
        DETAIL_REFERENCE,
    ],
    "head.belgorod": [
        "/",
        "/schools/",
        "/schools/registry/",
        "/roadmaps/maps/",
        "/roadmaps/reports/",
        "/monitoring/visits/",
        "/monitoring/coverage/",
        "/references/",
        DETAIL_REFERENCE,
        DETAIL_ROADMAP,
        DETAIL_SCHOOL,
    ],
    "metod.belgorod": [
        "/",
        "/roadmaps/reports/",
        Follow("/roadmaps/reports/?status=submitted", r"^/roadmaps/reports/\d+/$"),
        "/roadmaps/status/",
        "/monitoring/visits/",
        "/monitoring/visits/new/",
        "/monitoring/campaigns/new/",
        "/monitoring/results/",
        "/references/",
        DETAIL_ROADMAP,
    ],
    "curator.belgorod": [
        "/",
        "/schools/",
        DETAIL_SCHOOL,
        "/roadmaps/maps/",
        DETAIL_ROADMAP,
        "/roadmaps/reports/",
        DETAIL_REPORT,
        "/monitoring/visits/",
        "/monitoring/indicators/",
        "/monitoring/results/",
    ],
    "dir.zhuravlevka": [
        "/",
        "/roadmaps/maps/",
        DETAIL_ROADMAP,
        "/roadmaps/reports/",
        Follow("/roadmaps/reports/?status=draft", r"^/roadmaps/reports/\d+/$"),
        DETAIL_REPORT,
        "/monitoring/results/",
        "/monitoring/results/new/",
        DETAIL_SCHOOL,
        "/password/",
    ],
}


@pytest.fixture
def demo_data(catalogues):
    """The demo data of README's logins (`make run` loads the same)."""
    call_command("load_demo", stdout=io.StringIO())


def _open(page, base: str, target: str | Follow) -> str:
    if isinstance(target, str):
        response = page.goto(base + target)
        assert response.status == 200, f"{target}: HTTP {response.status}"
        return target
    page.goto(base + target.path)
    hrefs = page.locator("main table a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    matching = [h for h in hrefs if re.match(target.href, h)]
    assert matching, f"{target.path}: no link to {target.href} in the table"
    response = page.goto(base + matching[0])
    assert response.status == 200, f"{matching[0]}: HTTP {response.status}"
    return matching[0]


def test_every_roles_main_pages_pass_axe_wcag21_aa(page, live_server, login, demo_data):
    failures: list[str] = []
    visited: dict[str, int] = {}
    for username, targets in ROLE_PAGES.items():
        page.context.clear_cookies()
        login(page, live_server, username)
        for target in targets:
            url = _open(page, live_server.url, target)
            visited[username] = visited.get(username, 0) + 1
            violations = axe_violations(page)
            if violations:
                failures.append(f"{username} {describe(url, violations)}")
    assert all(n >= 8 for n in visited.values()), visited
    assert not failures, "serious/critical axe violations:\n" + "\n".join(failures)
