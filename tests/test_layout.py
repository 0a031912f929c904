"""One layout per app (docs/architecture.md): the same module names in every app, no module over
~400 lines and no function over ~60 lines unless its docstring says why."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("schools", "roadmaps", "monitoring", "coverage", "reports")

# Each a module or, past ~400 lines, a package of modules.
LAYOUT = {
    "models",
    "services",
    "selectors",
    "permissions",
    "views",
    "forms",
    "tasks",
    "importers",
    "exports",
    "urls",
    "admin",
    "demo",
}
# What autodiscovery loads from each app, the django-filter sets of the lists, and Django's own.
CONTRIBUTIONS = {"dashboard", "navigation", "school_card"}
DJANGO = {"__init__", "apps", "filters", "management", "migrations", "templatetags", "__pycache__"}
# The reference's document model and its PDF renderer: presentation of a stored snapshot, no query.
EXTRA = {"reports": {"document"}}

MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 60
# Long by nature, not by accident: the data sets and fixtures of demo and bench, migrations.
EXEMPT_PARTS = {"migrations", "demo.py", "bench", "tests"}
# The words a docstring uses to say why a function is long.
REASON_WORDS = ("long because", "one function because")
# Known debt, to be broken up: the lists may only shrink (a test fails when an entry is fixed but
# still listed, so the list never hides a new one).
LONG_MODULES: set[str] = set()
LONG_FUNCTIONS: set[str] = set()


def top_level_names(app: str) -> set[str]:
    return {path.stem if path.suffix == ".py" else path.name for path in (ROOT / app).iterdir()}


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_layout(app):
    allowed = LAYOUT | CONTRIBUTIONS | DJANGO | EXTRA.get(app, set())
    assert sorted(top_level_names(app) - allowed) == []


def source_files():
    for top in ("core", "portal", *APPS):
        for path in sorted((ROOT / top).rglob("*.py")):
            if not EXEMPT_PARTS & set(path.relative_to(ROOT).parts):
                yield path


def test_no_module_over_400_lines():
    long = {
        str(path.relative_to(ROOT))
        for path in source_files()
        if path.read_text(encoding="utf-8").count("\n") > MAX_MODULE_LINES
    }
    assert sorted(long - LONG_MODULES) == []
    assert sorted(LONG_MODULES - long) == [], "broken up: remove it from LONG_MODULES"


def test_no_function_over_60_lines_without_a_reason():
    long = set()
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                doc = (ast.get_docstring(node) or "").lower()
                if length > MAX_FUNCTION_LINES and not any(word in doc for word in REASON_WORDS):
                    long.add(f"{path.relative_to(ROOT)}:{node.name}")
    assert sorted(long - LONG_FUNCTIONS) == []
    assert sorted(LONG_FUNCTIONS - long) == [], "broken up: remove it from LONG_FUNCTIONS"


def _is_task_decorator(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in {"shared_task", "task"}


def test_celery_tasks_live_only_in_tasks_modules():
    """The worker finds tasks by Celery's autodiscovery of each installed app's `tasks` module (there is
    no CELERY_IMPORTS): a task defined anywhere else would be unknown to a worker that never imported it."""
    elsewhere = set()
    for path in source_files():
        if path.stem == "tasks" or "tasks" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(_is_task_decorator(d) for d in node.decorator_list):
                elsewhere.add(f"{path.relative_to(ROOT)}:{node.name}")
    assert sorted(elsewhere) == []
    from django.conf import settings

    assert not getattr(settings, "CELERY_IMPORTS", None)
