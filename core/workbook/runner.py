"""Workbook import framework: one `.xlsx` file, several sheets, one transaction.

Each app declares its sheets in `<app>/importers.py` as `SheetImporter` subclasses decorated with
`@register`. `run_import` checks the file before openpyxl reads it (size, zip structure, entry
count, uncompressed size and compression ratio), then cleans and writes the sheets it knows in
`order` inside one `transaction.atomic()`. Any error anywhere, or a dry run, rolls everything back,
so nothing is ever half-written. Errors are reported per cell: `Показатели!C7: …`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from .context import Change, ImportContext
from .parsing import RowError, is_empty, normalize_name
from .reading import WorkbookError, _cell, _cell_text, _safe_rows, _setting, open_workbook, read_upload

logger = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 20_000


@dataclass(frozen=True)
class ImportIssue:
    """One error: sheet, cell (`C7`, or None for a sheet- or file-level error) and message."""

    sheet: str | None
    cell: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet and self.cell and self.cell.isdigit():
            return f"{self.sheet}, строка {self.cell}: {self.message}"
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}: {self.message}"
        if self.sheet:
            return f"{self.sheet}: {self.message}"
        return self.message


@dataclass
class SheetResult:
    sheet: str
    rows: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[ImportIssue] = field(default_factory=list)
    sheets: list[SheetResult] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    changes_total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, tuple[int, int]]:
        """Sheet name → (created, updated)."""
        return {s.sheet: (s.created, s.updated) for s in self.sheets}

    @property
    def created(self) -> int:
        return sum(s.created for s in self.sheets)

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.sheets)

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored on import jobs and served to the status view."""
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "errors": [{"sheet": e.sheet, "cell": e.cell, "message": e.message, "text": str(e)} for e in self.errors],
            "sheets": [
                {"sheet": s.sheet, "rows": s.rows, "created": s.created, "updated": s.updated} for s in self.sheets
            ],
            "changes": [
                {"sheet": c.sheet, "row": c.row, "action": c.action, "action_label": c.action_label, "text": c.text}
                for c in self.changes
            ],
            "changes_total": self.changes_total,
        }


# --------------------------------------------------------------------------------------------
# Context and importers
# --------------------------------------------------------------------------------------------


class SheetImporter:
    """One sheet of the workbook. Subclasses set `sheet_name`, `columns` (the contract header,
    exactly), `order`, and implement `clean_row` and `write`."""

    sheet_name: ClassVar[str] = ""
    columns: ClassVar[tuple[str, ...] | list[str]] = ()
    # Columns that must be present in the header; None means all of `columns`.
    required_columns: ClassVar[tuple[str, ...] | list[str] | None] = None
    order: ClassVar[int] = 100

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> Any:
        """Validate one row (values keyed by column name); raise RowError or return a cleaned object."""
        raise NotImplementedError

    def write(self, cleaned_rows: list, ctx: ImportContext) -> tuple[int, int]:
        """Write all cleaned rows of the sheet; return (created, updated)."""
        raise NotImplementedError


_REGISTRY: dict[str, type[SheetImporter]] = {}
_modules_loaded = False


def register(cls: type[SheetImporter]) -> type[SheetImporter]:
    """Class decorator: make the sheet importable."""
    if not cls.sheet_name or not cls.columns:
        raise TypeError(f"{cls.__name__} must define sheet_name and columns")
    _REGISTRY[cls.sheet_name] = cls
    return cls


def load_importers() -> None:
    """Import every installed app's `importers` module (`CoreConfig.ready()` already did, through
    `core.registry.autodiscover`); an import error inside one propagates instead of hiding its sheets."""
    global _modules_loaded
    if _modules_loaded:
        return
    autodiscover_modules("importers")
    _modules_loaded = True


def importers() -> list[SheetImporter]:
    """Instances of all registered importers, in `order`."""
    load_importers()
    return [cls() for cls in sorted(_REGISTRY.values(), key=lambda c: (c.order, c.sheet_name))]


# --------------------------------------------------------------------------------------------
# Running an import
# --------------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def run_import(file_or_path: Any, *, user: Any = None, by_command: bool = False, dry_run: bool = False) -> ImportResult:
    """Import every known sheet of the workbook in one transaction.

    Returns the result with row-numbered errors, per-sheet counts and a preview of the changes.
    With errors, or when `dry_run`, the transaction is rolled back and nothing stays written.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        data, _name = read_upload(file_or_path)
        wb = open_workbook(data)
    except WorkbookError as exc:
        result.errors.append(ImportIssue(None, None, str(exc)))
        return result

    ctx = ImportContext(user=user, by_command=by_command, dry_run=dry_run)
    try:
        plan = _plan(wb.sheetnames)
        if not plan:
            result.errors.append(_no_known_sheet())
            return result
        with _history_user(user):
            _write_in_one_transaction(plan, wb, ctx, result)
    finally:
        wb.close()
    result.changes = ctx.changes
    result.changes_total = ctx.changes_total
    return result


def _plan(sheetnames: list[str]) -> list[tuple[SheetImporter, str]]:
    """(importer, the workbook's name of its sheet) for every known sheet present, in import order; a
    sheet name matches exactly or after `normalize_name`."""
    present = {ws_name: ws_name for ws_name in sheetnames}
    normalized_present = {normalize_name(n): n for n in sheetnames}
    plan = []
    for importer in importers():
        actual = present.get(importer.sheet_name) or normalized_present.get(normalize_name(importer.sheet_name))
        if actual is not None:
            plan.append((importer, actual))
    return plan


def _no_known_sheet() -> ImportIssue:
    known = ", ".join(f"«{imp.sheet_name}»" for imp in importers())
    return ImportIssue(
        None,
        None,
        _("В книге нет ни одного известного листа. Ожидаются листы: %(known)s.") % {"known": known},
    )


@contextmanager
def _history_user(user: Any) -> Iterator[None]:
    """The import's user is the author of the history records written meanwhile (nothing set without one)."""
    history_context = HistoricalRecords.context
    previous_request = getattr(history_context, "request", None)
    if user is not None:
        history_context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if user is not None:
            if previous_request is None:
                try:
                    del history_context.request
                except AttributeError:
                    pass
            else:
                history_context.request = previous_request


def _write_in_one_transaction(
    plan: list[tuple[SheetImporter, str]], wb: Any, ctx: ImportContext, result: ImportResult
) -> None:
    """Every planned sheet inside one transaction, rolled back on any error or on a dry run."""
    try:
        with transaction.atomic():
            for importer, actual in plan:
                _run_sheet(importer, wb[actual], ctx, result)
            if result.errors or result.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except DatabaseError as exc:
        logger.exception("Workbook import failed in the database")
        result.errors.append(
            ImportIssue(None, None, _("Ошибка базы данных при записи: %(e)s. Ничего не записано.") % {"e": exc})
        )


def _run_sheet(importer: SheetImporter, ws: Any, ctx: ImportContext, result: ImportResult) -> None:
    sheet = importer.sheet_name
    ctx.sheet = sheet
    ctx.row_number = None
    sheet_result = SheetResult(sheet=sheet)
    result.sheets.append(sheet_result)
    try:
        rows = _safe_rows(ws)
        positions = _header_positions(importer, next(rows, None), result)
        if positions is None:
            return
        cleaned = _clean_rows(importer, rows, positions, ctx, result, sheet_result)
        if cleaned is None:
            return
    except WorkbookError as exc:
        result.errors.append(ImportIssue(sheet, None, str(exc)))
        return
    ctx.row_number = None
    _write_sheet(importer, cleaned, positions, ctx, result, sheet_result)


def _header_positions(importer: SheetImporter, header: Any, result: ImportResult) -> dict[str, int] | None:
    """Column name → its index in the sheet's header row; None (and an error) when a needed column is missing."""
    header_names = [normalize_name(v) for v in (header or ())]
    positions: dict[str, int] = {}
    for column in importer.columns:
        key = normalize_name(column)
        if key in header_names:
            positions[column] = header_names.index(key)
    needed = importer.columns if importer.required_columns is None else importer.required_columns
    missing = [c for c in needed if c not in positions]
    if missing:
        result.errors.append(
            ImportIssue(
                importer.sheet_name,
                None,
                _("в первой строке нет столбца %(cols)s (ожидаемые столбцы: %(all)s)")
                % {"cols": ", ".join(f"«{c}»" for c in missing), "all": " · ".join(importer.columns)},
            )
        )
        return None
    return positions


def _clean_rows(
    importer: SheetImporter,
    rows: Iterator[Any],
    positions: dict[str, int],
    ctx: ImportContext,
    result: ImportResult,
    sheet_result: SheetResult,
) -> list[Any] | None:
    """The cleaned objects of the sheet's non-empty rows, each bad row an error; None (and an error)
    past `WORKBOOK_MAX_ROWS` data rows."""
    sheet = importer.sheet_name
    max_rows = _setting("WORKBOOK_MAX_ROWS", DEFAULT_MAX_ROWS)
    cleaned: list[Any] = []
    row_number = 1
    for values in rows:
        row_number += 1
        if row_number - 1 > max_rows:
            result.errors.append(
                ImportIssue(
                    sheet,
                    None,
                    _("слишком много строк: допустимо не более %(max)s строк данных на листе") % {"max": max_rows},
                )
            )
            return None
        raw = {c: (values[i] if i < len(values) else None) for c, i in positions.items()}
        row = {c: (_cell_text(v) or None) if isinstance(v, str) else v for c, v in raw.items()}
        if all(is_empty(v) for v in row.values()):
            continue
        sheet_result.rows += 1
        ctx.row_number = row_number
        try:
            obj = importer.clean_row(row, ctx)
        except RowError as exc:
            result.errors.append(_issue(sheet, positions, exc, row_number))
            continue
        except ValidationError as exc:
            result.errors.append(ImportIssue(sheet, f"{row_number}", "; ".join(exc.messages)))
            continue
        if obj is not None:
            cleaned.append(obj)
    return cleaned


def _write_sheet(
    importer: SheetImporter,
    cleaned: list[Any],
    positions: dict[str, int],
    ctx: ImportContext,
    result: ImportResult,
    sheet_result: SheetResult,
) -> None:
    """Write the sheet's cleaned rows in a savepoint; a failure is the sheet's error.

    With bad rows in this sheet the good ones are still written (the whole run is rolled back
    anyway), so that later sheets referring to them report only their own errors.
    """
    sheet = importer.sheet_name
    try:
        with transaction.atomic():
            created, updated = importer.write(cleaned, ctx)
    except RowError as exc:
        result.errors.append(_issue(sheet, positions, exc, exc.row or ctx.row_number))
        return
    except ValidationError as exc:
        where = f"{ctx.row_number}" if ctx.row_number else None
        result.errors.append(ImportIssue(sheet, where, "; ".join(exc.messages)))
        return
    except DatabaseError as exc:
        logger.warning("Sheet %s could not be written: %r", sheet, exc)
        where = f"{ctx.row_number}" if ctx.row_number else None
        result.errors.append(ImportIssue(sheet, where, _("ошибка записи в базу данных: %(e)s") % {"e": exc}))
        return
    finally:
        ctx.invalidate()
    sheet_result.created = created
    sheet_result.updated = updated


def _issue(sheet: str, positions: dict[str, int], exc: RowError, row_number: int | None) -> ImportIssue:
    if row_number is None:
        return ImportIssue(sheet, None, exc.message)
    if exc.column is not None and exc.column in positions:
        return ImportIssue(sheet, _cell(positions[exc.column], row_number), exc.message)
    if exc.column is not None:
        return ImportIssue(sheet, str(row_number), f"{exc.column}: {exc.message}")
    return ImportIssue(sheet, str(row_number), exc.message)
