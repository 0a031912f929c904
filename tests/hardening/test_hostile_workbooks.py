"""Hostile workbooks not covered by tests/portal/test_workbook*.py: XML entity expansion (billion laughs)
inside an .xlsx part, and formulas typed into text cells. (Not a zip, zip bombs, too many entries, huge
sheets, corrupt XML and control characters are covered there; export escaping of = + - @ too.)"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from core.workbook import run_import
from schools.models import School
from tests.fixtures.workbooks import make_workbook, zip_bytes

pytestmark = pytest.mark.django_db

OO = ["Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер"]
UNREADABLE = "Не удалось прочитать книгу Excel"

# Ten levels of ten: &lol9; expands to 10^9 "lol"s (about 3 GB) if a parser ever expands entities.
_ENTITIES = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
)
DOCTYPE = f"<!DOCTYPE lolz [{_ENTITIES}]>".encode()


def _with_part(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    entries[part] = change(entries[part])
    return zip_bytes(entries)


def _laughs(content: bytes) -> bytes:
    """Put the DOCTYPE after the XML declaration (or first) and use the entity inside the first text node."""
    if content.startswith(b"<?xml"):
        end = content.index(b"?>") + 2
        content = content[:end] + DOCTYPE + content[end:]
    else:
        content = DOCTYPE + content
    return content.replace(b"<t>", b"<t>&lol9;", 1)


def _good(municipality) -> bytes:
    return make_workbook({"ОО": [OO, ["N1", "МОУ «Новая СОШ»", municipality.code, "СОШ", "", 1, 1, "нет"]]})


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_billion_laughs_is_refused_quickly_in_bounded_memory(municipality, part):
    data = _with_part(_good(municipality), part, _laughs)
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = run_import(data, by_command=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 100 * 1024 * 1024
    assert not result.ok
    assert result.error_lines()[0].startswith(UNREADABLE)
    assert not School.objects.filter(code="N1").exists()


def test_doctype_alone_is_not_what_is_refused(municipality):
    """Control for the test above: the same part with a harmless DOCTYPE imports, so it is the entities
    that are refused (defusedxml), not any DOCTYPE or a mistake in how the test edits the package."""
    data = _with_part(_good(municipality), "xl/worksheets/sheet1.xml", lambda c: b"<!DOCTYPE worksheet>" + c)
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert School.objects.get(code="N1").name == "МОУ «Новая СОШ»"


def test_formula_in_a_required_text_cell_is_an_error_naming_the_cell(municipality):
    """Formulas are never evaluated nor stored: the reader takes cached values only, so a formula with no
    value leaves a required cell empty and the row is refused, naming the cell."""
    data = make_workbook(
        {"ОО": [OO, ["N2", '=HYPERLINK("http://evil","x")', municipality.code, "СОШ", "", 1, 1, "нет"]]}
    )
    result = run_import(data, by_command=True)
    assert not result.ok
    assert result.error_lines() == ["ОО!B2: обязательное поле не заполнено"]
    assert not School.objects.filter(code="N2").exists()


def test_formula_in_an_optional_text_cell_is_not_stored_as_a_formula(municipality):
    data = make_workbook({"ОО": [OO, ["N3", "МОУ «Третья СОШ»", municipality.code, "СОШ", "=1+1", 1, 1, "нет"]]})
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert School.objects.get(code="N3").director_name == ""


def test_text_that_looks_like_a_formula_is_kept_as_text(municipality):
    """A text cell "'=1+1 текст" (Excel's quote prefix) and "-Иванов" arrive as plain text."""
    data = make_workbook({"ОО": [OO, ["N4", "'=1+1 текст", municipality.code, "СОШ", "-Иванов", 1, 1, "нет"]]})
    result = run_import(data, by_command=True)
    assert result.ok, result.error_lines()
    assert School.objects.filter(code="N4").values_list("name", "director_name").get() == ("=1+1 текст", "-Иванов")
