"""What the apps contribute to the shell: home panels, navigation, school-card sections and demo data.

Each app declares its contributions in conventional modules, which `autodiscover()` imports for every
installed app (run by `CoreConfig.ready()`, so at start-up):

- `<app>/dashboard.py`: `@home_panels.register(order=…)` on `panels(user) -> list[dict]`;
- `<app>/navigation.py`: `navigation.register(NavSection(items=…, group=…), order=…)`;
- `<app>/school_card.py`: `@school_card_sections.register(order=…)` on `sections(user, school) -> list[dict]`;
- `<app>/importers.py`: `@core.workbook.register` on its `SheetImporter` classes (ordered by their `order`),
  and `template_catalogues.register(Catalogue(…), order=…)` for the drop-downs of the import template;
- `<app>/demo.py`: `@demo_loaders.register(order=…)` on `load()`; `@demo_logins.register(order=…)` on a
  function returning (role, login, password, scope) lines for the `load_demo` printout.

A missing module is skipped; an import error inside an existing one propagates (Django's
`autodiscover_modules`), so a broken module stops the portal instead of making its panel vanish.
Contributions are used in their registered `order` (ties: registration order, that is INSTALLED_APPS).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")

# The modules looked for in every installed app, in this order.
AUTODISCOVERED_MODULES = ("importers", "dashboard", "navigation", "school_card", "demo")


@dataclass(frozen=True)
class Entry(Generic[T]):
    order: int
    item: T
    source: str  # the module that registered it


class Registry(Generic[T]):
    """Contributions of one kind, each with an explicit order."""

    def __init__(self, name: str, *, key: Callable[[T], Any] | None = None) -> None:
        self.name = name
        self._entries: list[Entry[T]] = []
        self._key = key or _key

    def register(self, item: T | None = None, *, order: int, source: str | None = None) -> Any:
        """Register `item` (or, used as `@registry.register(order=…)`, the decorated function).

        Registering the same item again (a re-imported module) replaces the earlier entry.
        """
        if item is None:
            return lambda fn: self.register(fn, order=order, source=source)
        source = source or getattr(item, "__module__", "") or ""
        key = self._key(item)
        self._entries = [e for e in self._entries if self._key(e.item) != key]
        self._entries.append(Entry(order=order, item=item, source=source))
        return item

    def unregister(self, item: T) -> None:
        self._entries = [e for e in self._entries if self._key(e.item) != self._key(item)]

    def entries(self) -> list[Entry[T]]:
        """The entries in their order (stable: equal orders keep registration order)."""
        return sorted(self._entries, key=lambda e: e.order)

    def __iter__(self) -> Iterator[T]:
        return iter([e.item for e in self.entries()])

    def __len__(self) -> int:
        return len(self._entries)

    @contextlib.contextmanager
    def restricted_to(self, *apps: str) -> Iterator[None]:
        """Within the block, only the contributions of these apps (tests measuring one app's share)."""
        saved = self._entries
        self._entries = [e for e in saved if e.source.split(".", 1)[0] in apps]
        try:
            yield
        finally:
            self._entries = saved


def _key(item: Any) -> Any:
    module, name = getattr(item, "__module__", None), getattr(item, "__qualname__", None)
    return (module, name) if module and name else id(item)


@dataclass(frozen=True)
class NavSection:
    """One app's navigation items: (label, url name, roles that see it; None = everyone).

    With many items the bar folds a section that has a `group` into one dropdown of that name.
    """

    items: Sequence[tuple[Any, str, Sequence[str] | None]]
    group: Any = None
    source: str = ""


home_panels: Registry[Callable[[Any], list[dict]]] = Registry("home panels")
navigation: Registry[NavSection] = Registry("navigation", key=lambda section: section.source)
school_card_sections: Registry[Callable[[Any, Any], list[dict]]] = Registry("school-card sections")
demo_loaders: Registry[Callable[[], None]] = Registry("demo data")
demo_logins: Registry[Callable[[], list[tuple[str, ...]]]] = Registry("demo logins")


def register_navigation(items: Sequence, *, order: int, group: Any = None, source: str) -> NavSection:
    """Register an app's navigation items (`source`: the registering module, `__name__`)."""
    section = NavSection(items=items, group=group, source=source)
    navigation.register(section, order=order, source=source)
    return section


@dataclass(frozen=True)
class Catalogue:
    """A drop-down list of the import template: its title on the hidden catalogue sheet (the columns it
    feeds are the contract's, `core.exports.VALIDATED_COLUMNS`) and its values for the template's
    scope (`values(scope) -> list[str]`)."""

    title: str
    values: Callable[[Any], list[str]]


# The import template (core/exports.py): each app's `importers.py` registers the catalogues of its
# sheets, and the app owning the organisations the rows it fills in (`rows(scope) -> {sheet: rows}`).
template_catalogues: Registry[Catalogue] = Registry("template catalogues", key=lambda c: c.title)
template_rows: Registry[Callable[[Any], dict[str, Iterable[Sequence[Any]]]]] = Registry("template rows")


def autodiscover() -> None:
    """Import every installed app's contribution modules; an import error inside one propagates."""
    autodiscover_modules(*AUTODISCOVERED_MODULES)
