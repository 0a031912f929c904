"""Helpers shared by the schools app's sheets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.calendar import date_text
from core.workbook import ImportContext, RowError, clean_text

from ..models import Municipality, Region


def _apply(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the changed fields (the previous values are
    kept on the object for the preview)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    obj._import_previous = {name: getattr(obj, name) for name in changed}
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.date):
        return date_text(value, "—")
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _seen(ctx: ImportContext, key: str, value: Any, column: str) -> None:
    """Reject a value that an earlier row of the same sheet already used."""
    rows: dict[Any, int] = ctx.data.setdefault(key, {})
    if value in rows:
        raise RowError(column, _("повторяет строку %(row)s") % {"row": rows[value]})
    rows[value] = ctx.row_number or 0


def _regions(ctx: ImportContext) -> list[Region]:
    """All regions, read once while the sheet is cleaned (in their default order, as `.first()` saw them)."""
    if "municipality_sheet_regions" not in ctx.data:
        ctx.data["municipality_sheet_regions"] = list(Region.objects.all())
    return ctx.data["municipality_sheet_regions"]


def _municipalities_by_code(ctx: ImportContext) -> dict[str, Municipality]:
    """Municipalities by case-folded code, read once while the sheet is cleaned."""
    if "municipality_sheet_by_code" not in ctx.data:
        found: dict[str, Municipality] = {}
        for municipality in Municipality.objects.select_related("region"):
            found.setdefault(municipality.code.casefold(), municipality)
        ctx.data["municipality_sheet_by_code"] = found
    return ctx.data["municipality_sheet_by_code"]


def _field_names(model: type, names: list[str], obj: Any = None) -> str:
    """«педагогов: 17 → 18; тип: СОШ → ООШ» for the preview."""
    previous = getattr(obj, "_import_previous", {}) if obj is not None else {}
    parts = []
    for name in names:
        field = model._meta.get_field(name)
        label = str(field.verbose_name)
        if name in previous:
            label += f": {_shown(field, previous[name])} → {_shown(field, getattr(obj, name))}"
        parts.append(label)
    return "; ".join(parts)


BATCH_SIZE = 1000


def _empty(value: Any) -> bool:
    return not clean_text(value)
