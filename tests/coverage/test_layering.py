"""Coverage is the one home of what is computed across roadmaps and monitoring, so the arrow between
the two runs one way: roadmaps → monitoring (an activity's indicator), coverage → both, never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (app, packages its modules must never import)
FORBIDDEN = [
    ("monitoring", {"roadmaps", "coverage", "reports"}),
    ("roadmaps", {"coverage", "reports"}),
    ("schools", {"roadmaps", "monitoring", "coverage", "reports"}),
]


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, lazily inside functions too."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(("app", "forbidden"), FORBIDDEN)
def test_app_does_not_import_the_apps_that_depend_on_it(app, forbidden):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden)
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and imported_packages(path) & forbidden
    }
    assert offenders == {}
