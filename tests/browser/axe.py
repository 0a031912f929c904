"""axe-core in the browser tests: the vendored `vendor/axe-core/axe.min.js` (4.14.1, MPL-2.0) is
evaluated in the page through Playwright (not a <script> tag, which the portal's CSP would refuse) and
run with the WCAG 2.1 A and AA rules. docs/accessibility.md says what the portal promises."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def settle(page) -> None:
    """Wait two animation frames: the resize events and ResizeObserver callbacks of a viewport change
    run in the frame's rendering steps, so after two frames the page's own handlers have run."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """The page's WCAG 2.1 A/AA violations of the given impacts, each with its failing elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    version = page.evaluate("() => axe.version")
    assert version == AXE_VERSION, f"axe-core {version} loaded, {AXE_VERSION} expected"
    return [v for v in page.evaluate(_RUN, WCAG_21_AA) if v["impact"] in impacts]


def describe(url: str, violations: list[dict], nodes: int = 3) -> str:
    """One readable block per page: rule, impact, how many elements, the first few with axe's reason."""
    lines = [url]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        lines.extend(f"    {n['target']}: {n['summary'].splitlines()[-1].strip()}" for n in v["nodes"][:nodes])
    return "\n".join(lines)
