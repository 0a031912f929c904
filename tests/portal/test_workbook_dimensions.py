"""Opening a workbook reads a sheet's size from `<dimension>` without parsing its rows, also when the
sheet has no such element (files written in `write_only` mode, like the portal's own templates)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from core.workbook import open_workbook

SHEET = "xl/worksheets/sheet1.xml"


def sheet_bytes(*, write_only: bool, rows: int = 3000) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Лист") if write_only else wb.active
    ws.title = "Лист"
    for n in range(rows):
        ws.append([n, "текст", 2.5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class CountingReader(io.RawIOBase):
    """A file that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._data.read(size)
        self.read_bytes += len(chunk)
        return chunk


@pytest.mark.parametrize("write_only", [True, False])
def test_size_is_read_without_parsing_the_rows(write_only):
    data = sheet_bytes(write_only=write_only)
    open_workbook(data).close()  # installs the faster reading of the size
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    source = CountingReader(xml)
    dimensions = WorkSheetParser(source, []).parse_dimensions()
    # With <dimension> the size is known up front; without it, as before, it stays unknown.
    assert dimensions == (None if write_only else (1, 1, 3, 3000))
    assert source.read_bytes < len(xml) / 4, (source.read_bytes, len(xml))


@pytest.mark.parametrize("write_only", [True, False])
def test_every_row_is_still_read(write_only):
    wb = open_workbook(sheet_bytes(write_only=write_only))
    ws = wb["Лист"]
    assert (ws.max_row, ws.max_column) == ((None, None) if write_only else (3000, 3))
    values = list(ws.iter_rows(values_only=True))
    assert len(values) == 3000 and values[-1] == (2999, "текст", 2.5)
    wb.close()
