"""Workbook import framework: one `.xlsx` file, several sheets, one transaction.

Each app declares its sheets in `<app>/importers.py` (found by autodiscovery) as `SheetImporter`
subclasses decorated with `@register`. `run_import` checks the file before openpyxl reads it (size, zip
structure, entry count, uncompressed size and compression ratio), then cleans and writes the sheets it knows in
`order` inside one `transaction.atomic()`. Any error anywhere, or a dry run, rolls everything back,
so nothing is ever half-written. Errors are reported per cell: `Показатели!C7: …`.

- `parsing`: cell parse helpers raising `RowError`;
- `reading`: safe opening of the uploaded file;
- `runner`: `ImportContext`, `SheetImporter`, `register`, `run_import` and its result.
"""

from __future__ import annotations

from .parsing import (
    ILLEGAL_CHARS_RE,
    RowError,
    clean_text,
    is_empty,
    normalize_name,
    parse_academic_year,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_quarter,
    parse_text,
    parse_year,
    required,
)
from .reading import NOT_XLSX, WorkbookError, check_zip, open_workbook, read_upload
from .runner import (
    Change,
    ImportContext,
    ImportIssue,
    ImportResult,
    SheetImporter,
    SheetResult,
    importers,
    load_importers,
    register,
    run_import,
)

__all__ = [
    "ILLEGAL_CHARS_RE",
    "NOT_XLSX",
    "Change",
    "ImportContext",
    "ImportIssue",
    "ImportResult",
    "RowError",
    "SheetImporter",
    "SheetResult",
    "WorkbookError",
    "check_zip",
    "clean_text",
    "importers",
    "is_empty",
    "load_importers",
    "normalize_name",
    "open_workbook",
    "parse_academic_year",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_quarter",
    "parse_text",
    "parse_year",
    "read_upload",
    "register",
    "required",
    "run_import",
]
