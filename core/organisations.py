"""The organisations (regions, municipalities, schools) as the core reads them, without importing the
app that owns them: that app registers a provider at start-up (`schools/apps.py`).

The workbook import bounds what a web import may touch by the user's scope, and the import template
lists the user's municipalities and schools; both ask `organisations()`.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


class Organisations(Protocol):
    """Querysets of the organisations; `user=None` means all of them (the management commands)."""

    def schools(self, user: Any = None, *, roles: tuple[str, ...] | None = None) -> QuerySet: ...

    def municipalities(self, user: Any = None, *, roles: tuple[str, ...] | None = None) -> QuerySet: ...

    def regions(self, user: Any = None, *, roles: tuple[str, ...] | None = None) -> QuerySet: ...


_provider: Organisations | None = None


def register(provider: Organisations) -> None:
    global _provider
    _provider = provider


def organisations() -> Organisations:
    if _provider is None:
        raise ImproperlyConfigured("No organisations provider registered (the schools app registers it in ready()).")
    return _provider
