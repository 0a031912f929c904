"""Reading an uploaded workbook safely: size cap, zip structure, entry count, uncompressed size and
compression ratio are checked before openpyxl (with defusedxml installed) opens it read-only.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape as xml_unescape

from .parsing import clean_text

logger = logging.getLogger(__name__)

DEFAULT_MAX_ZIP_ENTRIES = 1_000
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DEFAULT_MAX_RATIO = 200


class WorkbookError(Exception):
    """The file as a whole cannot be read (not a workbook, too large, a zip bomb…)."""


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _format_mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_upload(file_or_path: Any) -> tuple[bytes, str]:
    """Bytes and display name of a path, an uploaded file, a file object or bytes; the size cap is
    checked before the content is read."""
    limit = _setting("WORKBOOK_MAX_BYTES", 10 * 1024 * 1024)
    too_big = _("Файл слишком большой: %(size)s МБ, допустимо не более %(max)s МБ.")
    if isinstance(file_or_path, (bytes, bytearray)):
        data, name = bytes(file_or_path), "workbook.xlsx"
    elif isinstance(file_or_path, (str, Path)):
        path = Path(file_or_path)
        try:
            size = path.stat().st_size
        except OSError:
            raise WorkbookError(_("Файл «%(name)s» не найден или недоступен.") % {"name": path}) from None
        if size > limit:
            raise WorkbookError(too_big % {"size": _format_mb(size), "max": _format_mb(limit)})
        data, name = path.read_bytes(), path.name
    else:
        size = getattr(file_or_path, "size", None)
        if size is not None and size > limit:
            raise WorkbookError(too_big % {"size": _format_mb(size), "max": _format_mb(limit)})
        if hasattr(file_or_path, "seek"):
            file_or_path.seek(0)
        data = file_or_path.read(limit + 1)
        name = Path(getattr(file_or_path, "name", "") or "workbook.xlsx").name
    if len(data) > limit:
        raise WorkbookError(too_big % {"size": _format_mb(len(data)), "max": _format_mb(limit)})
    return data, name


NOT_XLSX = "Файл не является книгой Excel (.xlsx)."


def check_zip(data: bytes) -> None:
    """Reject anything that is not a plausible, bounded xlsx package before openpyxl opens it.

    The central directory's sizes are what zipfile enforces when it decompresses (it stops at the
    declared size and checks the CRC), so bounding them bounds the work openpyxl can be made to do.
    """
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError(_(NOT_XLSX))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise WorkbookError(_(NOT_XLSX)) from None
    max_entries = _setting("WORKBOOK_MAX_ZIP_ENTRIES", DEFAULT_MAX_ZIP_ENTRIES)
    if len(infos) > max_entries:
        raise WorkbookError(
            _("Файл отклонён: слишком много частей в архиве книги (%(n)s, допустимо не более %(max)s).")
            % {"n": len(infos), "max": max_entries}
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError(_(NOT_XLSX))
    max_total = _setting("WORKBOOK_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    max_ratio = _setting("WORKBOOK_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError(_("Книга защищена паролем (зашифрована); сохраните её без пароля и загрузите снова."))
        total += info.file_size
        # Small parts compress well legitimately; judge the ratio only where it costs something.
        if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
            raise WorkbookError(
                _("Файл отклонён: подозрительно высокая степень сжатия части «%(part)s» (возможна «zip-бомба»).")
                % {"part": info.filename}
            )
    if total > max_total:
        raise WorkbookError(
            _("Файл отклонён: распакованный объём книги %(size)s МБ превышает допустимые %(max)s МБ.")
            % {"size": _format_mb(total), "max": _format_mb(max_total)}
        )


def _parse_dimensions(self: Any) -> tuple[int, int, int, int] | None:
    """openpyxl's `WorkSheetParser.parse_dimensions` waits for *end* events, so on a sheet without a
    `<dimension>` element (any file written in `write_only` mode, the portal's own templates among
    them) it parses the whole sheet only to learn that, doubling the cost of opening a big sheet.
    The element, when present, precedes `<sheetData>`: the start events suffice."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, SheetDimension, iterparse

    for _event, element in iterparse(self.source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            return SheetDimension.from_tree(element).boundaries
        if element.tag == DATA_TAG:
            break
    return None


def _patch_openpyxl() -> None:
    from openpyxl.worksheet._reader import WorkSheetParser

    # Only over the implementation described above (openpyxl 3.1, pinned): a later release may differ.
    if WorkSheetParser.parse_dimensions.__module__ == "openpyxl.worksheet._reader":
        WorkSheetParser.parse_dimensions = _parse_dimensions


def open_workbook(data: bytes):
    """openpyxl workbook in read-only, values-only mode (after `check_zip`)."""
    import openpyxl

    _patch_openpyxl()
    check_zip(data)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on corrupt input
        logger.info("Workbook could not be parsed: %r", exc)
        raise WorkbookError(
            _(
                "Не удалось прочитать книгу Excel: файл повреждён или сохранён в неподдерживаемом формате. "
                "Сохраните его в Excel как «Книга Excel (.xlsx)» и загрузите снова."
            )
        ) from None


def _cell(col_index: int, row: int) -> str:
    return f"{get_column_letter(col_index + 1)}{row}"


def _cell_text(value: str) -> str:
    """A text cell as the user typed it: Excel's `_xHHHH_` escapes decoded (then control characters
    stripped), and the exporter's formula-injection apostrophe (`'=…`) removed."""
    if "_x" in value:
        value = xml_unescape(value)
    text = clean_text(value)
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _safe_rows(ws: Any) -> Iterable[tuple]:
    """Rows of a read-only sheet; a corrupt sheet part (it surfaces only while iterating) becomes
    a WorkbookError instead of an arbitrary parser exception."""
    iterator = iter(ws.iter_rows(values_only=True))
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - any parser failure means the same to the user
            logger.info("Sheet could not be read: %r", exc)
            raise WorkbookError(_("лист повреждён и не может быть прочитан")) from None
        yield values
