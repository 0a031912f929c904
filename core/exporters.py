"""The one exporter interface (after pretix's `base/exporter.py`), the one safe-cell rule and the xlsx
content type.

An exporter is a class with an `identifier`, a `verbose_name`, optional `form_fields` (the choices a
user makes, read back from `form_data`) and `render(form_data) -> (filename, content_type, content)`,
where content is bytes, an iterator of byte chunks, or a readable binary file (a big sheet written to
a temporary file). What it exports (a document, a snapshot, the user's schools) is given to its
constructor. Apps put their exporters in `<app>/exports.py` and register them with `@register`;
`registered()` imports every app's `exports` module first, so a broken one fails loudly.

Every text cell of every export goes through `safe_cell`: characters XML forbids are stripped and
text that a spreadsheet would evaluate (a leading `= + - @`, tab or carriage return) gets an
apostrophe, so it stays text. The workbook importer removes that apostrophe again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from django import forms
from django.http import HttpResponse
from django.utils.module_loading import autodiscover_modules

from core.downloads import download_response
from core.workbook import ILLEGAL_CHARS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Content = bytes | Iterable[bytes] | IO[bytes]
ExportResult = tuple[str, str, Content]


def safe_cell(value: Any) -> Any:
    """A cell value that is never read as a formula and is valid XML; anything but text unchanged."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARS_RE.sub("", value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text


class Exporter:
    """Base of every export: subclasses set `identifier` and `verbose_name` and implement `render`."""

    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    # The user's choices, as form fields; `render` reads their cleaned values from `form_data`.
    form_fields: ClassVar[Mapping[str, forms.Field]] = {}

    def render(self, form_data: Mapping[str, Any]) -> ExportResult:
        """Return (filename, content type, bytes / iterator of bytes / readable binary file)."""
        raise NotImplementedError


E = TypeVar("E", bound=type[Exporter])
_registry: dict[str, type[Exporter]] = {}


def register(cls: E) -> E:
    """Class decorator: make an exporter known under its identifier (one class per identifier)."""
    known = _registry.get(cls.identifier)
    if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
        raise ValueError(f"Exporter identifier {cls.identifier!r} is taken by {known.__module__}.{known.__qualname__}")
    _registry[cls.identifier] = cls
    return cls


def registered() -> dict[str, type[Exporter]]:
    """Every app's exporters by identifier (importing each app's `exports` module; errors propagate)."""
    autodiscover_modules("exports")
    return dict(sorted(_registry.items()))


def export_response(result: ExportResult) -> HttpResponse:
    """An export as a download (`core.downloads.download_response`): bytes whole, a file or an iterator streamed."""
    filename, content_type, content = result
    return download_response(content, filename=filename, content_type=content_type)


def write_export(content: Content, path: str | os.PathLike) -> int:
    """Write an export's content at `path`, whole or not at all; return its size in bytes."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    try:
        with partial.open("wb") as out:
            if isinstance(content, bytes | bytearray):
                out.write(content)
            elif hasattr(content, "read"):
                with content:
                    shutil.copyfileobj(content, out, 1024 * 1024)
            else:
                for chunk in content:
                    out.write(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size
