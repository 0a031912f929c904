"""Autodiscovery of the apps' contributions (core/registry.py): a broken module fails loudly, every
module found registers something, and the order of panels, navigation and demo data stays fixed."""

from __future__ import annotations

import sys
from importlib import import_module

import pytest
from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

from core import registry
from core.workbook import importers

APP_MODULES = [
    (config.name, module)
    for config in apps.get_app_configs()
    for module in registry.AUTODISCOVERED_MODULES
    if module_has_submodule(config.module, module)
]


def _fake_app(tmp_path, monkeypatch, name: str, files: dict[str, str]) -> AppConfig:
    """An installed-looking app made of `files`, the only app autodiscovery sees."""
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for filename, text in files.items():
        (package / filename).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        monkeypatch.delitem(sys.modules, loaded)
    config = AppConfig(name, import_module(name))
    monkeypatch.setattr(apps, "get_app_configs", lambda: [config])
    return config


@pytest.mark.parametrize("module", registry.AUTODISCOVERED_MODULES)
def test_import_error_inside_a_contribution_module_propagates(tmp_path, monkeypatch, module):
    _fake_app(tmp_path, monkeypatch, f"brokenapp_{module}", {f"{module}.py": "import no_such_module_anywhere\n"})
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        registry.autodiscover()
    # The same path runs at start-up: CoreConfig.ready() stops on it.
    with pytest.raises(ModuleNotFoundError, match="no_such_module_anywhere"):
        apps.get_app_config("portal").ready()


def test_error_raised_while_a_contribution_module_runs_propagates(tmp_path, monkeypatch):
    _fake_app(tmp_path, monkeypatch, "brokenapp_runtime", {"dashboard.py": "raise ImportError('half-written')\n"})
    with pytest.raises(ImportError, match="half-written"):
        registry.autodiscover()


def test_app_without_contribution_modules_is_skipped(tmp_path, monkeypatch):
    _fake_app(tmp_path, monkeypatch, "plainapp", {"models.py": ""})
    registry.autodiscover()


def test_contribution_modules_are_found():
    found = set(APP_MODULES)
    for expected in ["schools", "roadmaps", "monitoring", "coverage", "reports"]:
        assert (expected, "dashboard") in found
        assert (expected, "navigation") in found
    for expected in ["schools", "roadmaps", "monitoring", "reports"]:
        assert (expected, "demo") in found
    assert {("schools", "importers"), ("roadmaps", "importers"), ("monitoring", "importers")} <= found
    assert {("roadmaps", "school_card"), ("monitoring", "school_card")} <= found


@pytest.mark.parametrize(("app", "module"), APP_MODULES, ids=[f"{a}.{m}" for a, m in APP_MODULES])
def test_every_contribution_module_imports_and_registers(app, module):
    """A module autodiscovery loads imports cleanly and registers at least one contribution (a module
    that only defines `panels` or `ITEMS`, as before the registries, would silently contribute nothing)."""
    name = f"{app}.{module}"
    import_module(name)
    registered = {
        "dashboard": [e.source for e in registry.home_panels.entries()],
        "navigation": [e.source for e in registry.navigation.entries()],
        "school_card": [e.source for e in registry.school_card_sections.entries()],
        "demo": [e.source for e in registry.demo_loaders.entries()],
        "importers": [type(i).__module__ for i in importers()],
    }[module]
    # A package (`schools/importers/`) registers from its submodules.
    assert any(source == name or source.startswith(f"{name}.") for source in registered)


def _in_order(sources: list[str], expected: list[str]) -> list[str]:
    return [s for s in sources if s in expected]


def test_contributions_keep_their_order():
    """Panels (ties of their own `order`), navigation and demo data keep the order of the former lists."""
    apps_order = ["schools", "roadmaps", "monitoring", "coverage", "reports"]
    panels = [e.source for e in registry.home_panels.entries()]
    assert _in_order(panels, [f"{a}.dashboard" for a in apps_order]) == [f"{a}.dashboard" for a in apps_order]
    nav = [e.source for e in registry.navigation.entries()]
    expected_nav = [f"{a}.navigation" for a in apps_order] + ["core.navigation"]
    assert _in_order(nav, expected_nav) == expected_nav
    assert nav[-1] == "core.navigation"  # «Администрирование» stays last
    demo = [e.source for e in registry.demo_loaders.entries()]
    demo_apps = [a for a in apps_order if a != "coverage"]
    assert _in_order(demo, [f"{a}.demo" for a in demo_apps]) == [f"{a}.demo" for a in demo_apps]
    assert demo[0] == "schools.demo"  # the others find its organisations and users
    cards = [e.source for e in registry.school_card_sections.entries()]
    assert _in_order(cards, ["roadmaps.school_card", "monitoring.school_card"]) == [
        "roadmaps.school_card",
        "monitoring.school_card",
    ]


def test_registering_again_replaces_the_entry():
    reg: registry.Registry = registry.Registry("test")

    def panels(user):
        return []

    reg.register(panels, order=20)
    reg.register(panels, order=10)
    assert [(e.order, e.item) for e in reg.entries()] == [(10, panels)]
    reg.unregister(panels)
    assert len(reg) == 0


def test_restricted_to_keeps_one_apps_share_for_the_block():
    before = registry.home_panels.entries()
    with registry.home_panels.restricted_to("schools"):
        assert [e.source for e in registry.home_panels.entries()] == ["schools.dashboard"]
    assert registry.home_panels.entries() == before
