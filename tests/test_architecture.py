"""The import rules between the packages, read from the source with `ast` (see docs/architecture.md).

Every `import x`, `from x import y` and `import_module("x")` in every module of a package counts,
inside functions too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".git", "var", "node_modules", "static", "templates", "tests", "docs", "scripts"}

DOMAIN_APPS = ("schools", "roadmaps", "monitoring", "reports", "coverage")

# (package, packages it must not import, why).
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("core", (*DOMAIN_APPS, "bench", "portal"), "the shared core imports no app and not the project shell"),
    *[(app, ("portal",), "apps never import the project shell (portal/)") for app in DOMAIN_APPS],
    *[(app, ("bench",), "nothing depends on the benchmark tools") for app in (*DOMAIN_APPS, "portal")],
    # Arrows between apps that run one way only: schools ← monitoring ← roadmaps ← coverage ← reports.
    ("schools", ("roadmaps", "monitoring", "coverage", "reports"), "schools is the base every app builds on"),
    ("monitoring", ("roadmaps", "coverage", "reports"), "roadmaps imports monitoring, never the reverse"),
    ("roadmaps", ("coverage", "reports"), "coverage is computed across roadmaps and monitoring, on top of both"),
    ("coverage", ("reports",), "references read coverage, coverage knows nothing of references"),
]


def _package_files() -> dict[str, list[Path]]:
    files: dict[str, list[Path]] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] in SKIP_DIRS or parts[0].startswith("."):
            continue
        files.setdefault(parts[0], []).append(path)
    return files


@cache
def _imports(path: Path) -> frozenset[tuple[str, int]]:
    """(top-level package, line) of every absolute import in the file."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "import_module" and isinstance(node.args[0].value, str):
                found.add((node.args[0].value.split(".")[0], node.lineno))
    return frozenset(found)


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    result = []
    for path in sorted(_package_files().get(package, [])):
        for imported, line in sorted(_imports(path)):
            if imported in forbidden:
                result.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return result


def test_the_packages_of_the_rules_exist():
    packages = set(_package_files())
    assert {"core", "portal", "schools", "roadmaps", "monitoring", "reports", "bench"} <= packages


@pytest.mark.parametrize(("package", "forbidden", "why"), RULES, ids=[f"{p}-not-{'-'.join(f)}" for p, f, _w in RULES])
def test_import_rule(package, forbidden, why):
    assert violations(package, forbidden) == [], why


def test_a_broken_rule_is_reported(tmp_path, monkeypatch):
    """The checker itself: a lazy import, a `from` import and an import_module string are all seen."""
    module = tmp_path / "mod.py"
    module.write_text(
        "import os\nfrom schools.models import School\n\ndef f():\n    import portal.settings\n"
        "    return importlib.import_module('roadmaps.demo')\nfrom . import sibling\n"
    )
    assert _imports(module) == {("os", 1), ("schools", 2), ("portal", 5), ("roadmaps", 6)}


def test_the_repository_stands_on_its_own():
    """Code, tests and docs point to docs/, never to design notes outside the repository."""
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*"):
        if ".venv" in path.parts or ".git" in path.parts or path.suffix not in {".py", ".html", ".md", ".txt", ".yml"}:
            continue
        text = path.read_text(errors="replace")
        if "DESIGN.md" in text or "shared/seeds" in text or "../shared" in text:
            offenders.append(str(path.relative_to(root)))
    offenders = [o for o in offenders if o != "tests/test_architecture.py"]
    assert not offenders, offenders
