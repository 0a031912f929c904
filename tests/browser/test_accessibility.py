"""axe-core (WCAG 2.1 A/AA) on the main pages of every role, over the demo data of `manage.py load_demo`.

Each role logs in through the form with its README login and visits its home page, its lists, a detail
page of each kind it reaches from a list, and its forms, each at 1366 and at 390 px; any serious or
critical violation on any page fails the test, which names the page, the width, the rule and the elements. docs/accessibility.md has the rules.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from .axe import axe_violations, describe, settle

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
            for width in (1366, 390):  # the desktop, then a phone (static/js/portal.js follows the resize)
                page.set_viewport_size({"width": width, "height": 900})
                settle(page)  # the resize handlers of static/js/portal.js run before axe looks
                violations = axe_violations(page)
                if violations:
                    failures.append(f"{username} at {width} px {describe(url, violations)}")
    assert all(n >= 8 for n in visited.values()), visited
    assert not failures, "serious/critical axe violations:\n" + "\n".join(failures)


PHONE = {"width": 390, "height": 844}
# The lists whose status and quarter columns ran past a phone's screen (issue 13), with the labels
# every row must show there.
PHONE_LISTS = {
    "reports": ("/roadmaps/reports/", ["ОО", "Муниципалитет", "Квартал", "Строк", "Статус", "Отправлен", "Куратор"]),
    "roadmaps": ("/roadmaps/maps/", ["ОО", "Муниципалитет", "Учебный год", "Мероприятий", "Статус"]),
    "visits": ("/monitoring/visits/", ["Дата", "ОО", "Кто посетил", "Цель", "Результат"]),
    "registry": (
        "/schools/registry/",
        ["№", "Код", "Наименование ОО", "Муниципалитет", "Категория", "Основание включения", "Включена", "Исключена"]
        + ["Обоснование исключения", "Куратор"],
    ),
}
# Every cell of the first row: its label, its box, whether any of it lies outside the viewport or is
# clipped by a scroll box around the table.
_ROW_GEOMETRY = """() => {
  const table = document.querySelector("main table");
  const box = table.closest(".table-responsive") || table.parentElement;
  const row = table.querySelector("tbody tr");
  return {
    page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
    boxScroll: box.scrollWidth, boxClient: box.clientWidth, display: getComputedStyle(table).display,
    cells: [...row.cells].map(td => {
      const r = td.getBoundingClientRect();
      return {label: td.dataset.label || "", left: r.left, right: r.right, width: r.width,
              before: getComputedStyle(td, "::before").content};
    }),
  };
}"""


@pytest.fixture
def phone_lists(catalogues, coordinator, school, roadmap, report):
    """One row in each list of the coordinator's region: the school in the registry of the current
    academic year, its roadmap and report, a visit."""
    from tests import factories as f

    f.RegistryEntryFactory(school=school, academic_year=roadmap.academic_year)
    f.MethodicalVisitFactory(school=school, purpose="Адресная методическая помощь школе с низкими результатами")
    return coordinator


def test_lists_on_a_390px_phone_show_every_column_inside_the_screen(page, live_server, login, shot, phone_lists):
    login(page, live_server, phone_lists.username)
    for name, (path, labels) in PHONE_LISTS.items():
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + path)
        geometry = page.evaluate(_ROW_GEOMETRY)
        assert geometry["page"] <= geometry["viewport"], f"{name}: the page is wider than the phone"
        assert geometry["boxScroll"] <= geometry["boxClient"], f"{name}: the table runs past its box"
        shown = [c for c in geometry["cells"] if c["width"] > 0]
        assert [c["label"] for c in shown if c["label"]] == labels, name
        for cell in shown:
            assert 0 <= cell["left"] and cell["right"] <= PHONE["width"], f"{name}: «{cell['label']}» is cut off"
            if cell["label"]:
                assert cell["before"] == f'"{cell["label"]}"', f"{name}: «{cell['label']}» shows no label"
        assert not axe_violations(page), f"{name} at 390 px: {describe(path, axe_violations(page))}"
        shot(page, f"a11y-{name}-390")

        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(live_server.url + path)
        wide = page.evaluate(_ROW_GEOMETRY)
        assert wide["display"] == "table", f"{name}: at 1366 px the list stays a table"
        assert all(c["before"] == "none" for c in wide["cells"]), f"{name}: labels only on a phone"
        shot(page, f"a11y-{name}-1366")


def _focus_by_tab(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until `element_id` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"#{element_id} is not reachable with Tab")


def _described_by(page, element_id: str) -> str:
    return page.evaluate(
        """id => { const el = document.getElementById(id); const ref = el.getAttribute("aria-describedby");
                   return ref ? ref.split(" ").map(r => document.getElementById(r).innerText).join(" ") : ""; }""",
        element_id,
    )


def test_report_form_by_keyboard_focus_is_visible_and_errors_are_announced(
    page, live_server, login, shot, director, report
):
    lines = list(report.lines.order_by("activity__direction__order", "activity__order", "activity_id"))
    first = f"id_line-{lines[0].pk}"
    login(page, live_server, director.username)
    page.goto(f"{live_server.url}/roadmaps/reports/{report.pk}/")

    # Tab reaches the first line's status; the focus shows a solid outline.
    _focus_by_tab(page, f"{first}-status")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline == ["solid", "3px"], outline
    shot(page, "a11y-report-focus")

    # «перенесено» chosen from the keyboard, no reason, «Отправить на проверку» pressed with Enter.
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.input_value(f"#{first}-status") == "postponed"
    assert page.is_visible(f"#{first}-reason")
    send = page.get_by_role("button", name="Отправить на проверку")
    send.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-errors")

    # The banner and the summary are alerts; the reason field is invalid and described by its error.
    assert "отчёт не отправлен" in page.get_by_role("alert").filter(has_text="Черновик сохранён").inner_text()
    summary = page.locator("#report-errors")
    assert summary.get_attribute("role") == "alert"
    assert page.get_attribute(f"#{first}-reason", "aria-invalid") == "true"
    assert "Укажите причину" in _described_by(page, f"{first}-reason")
    # The summary's link takes the focus to the field.
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == f"{first}-reason"
    assert not axe_violations(page), describe("report with errors", axe_violations(page))
    shot(page, "a11y-report-errors")

    # A refused post (an impossible date) re-renders the page with the summary focused, read first.
    page.fill(f"#{first}-reason", "Перенесено из-за карантина.")
    page.fill(f"#{first}-started_on", "31.02.2021")
    page.get_by_role("button", name="Сохранить черновик").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-errors[data-focus-on-load]")
    assert page.evaluate("() => document.activeElement.id") == "report-errors"
    assert page.get_attribute(f"#{first}-started_on", "aria-invalid") == "true"
    assert "существующую дату" in _described_by(page, f"{first}-started_on")
    assert "aria-invalid" not in (page.locator(f"#{first}-reason").evaluate("el => el.outerHTML"))
