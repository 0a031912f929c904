"""`manage.py build_reference`: the contract's options, the same compute and render as the web task."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .conftest import pdf_text, squash


def test_build_reference_writes_pdf_xlsx_and_json(scenario, tmp_path):
    out, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    call_command(
        "build_reference",
        "--template", "methodical-help",
        "--scope", f"municipality:{scenario['municipality'].code}",
        "--from", "2020-09-01",
        "--to", "2021-06-30",
        "--out", str(out),
        "--xlsx", str(xlsx),
        "--json", str(js),
    )  # fmt: skip
    text = pdf_text(out.read_bytes())
    assert squash("11/17 64,71") in text
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["total"] == 3
    assert [i["value"] for i in data["indicators"]] == ["2 (66,67%)", "1 (33,33%)", "2 (66,67%)"]
    trained = next(t for t in data["tables"] if t["key"] == "trained")
    assert trained["rows"][0] == ["МОУ «Альфа СОШ»", "11/17", "64,71"]
    assert trained["totals"] == [["Всего", "14/25", "56,00"]]
    wb = load_workbook(xlsx, read_only=True)
    sheet = wb[next(n for n in wb.sheetnames if n.startswith("Повышение квалификации"))]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert ("МОУ «Альфа СОШ»", "11/17", 64.71) in rows


def test_build_reference_region_scope(scenario, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(
        "build_reference", "--template", "roadmap-monitoring", "--scope", f"region:{scenario['region'].code}",
        "--from", "2021-01-01", "--to", "2021-06-30", "--out", str(out),
    )  # fmt: skip
    # 2021-Q1 and Q2 only: курсы ПК in Альфа (Q1) and Вега (Q2).
    assert squash("курсы повышения квалификации – 2 (66,67%)") in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scope", "district:X"], "region:КОД"),
        (["--scope", "municipality:NOPE"], "не найдена"),
        (["--from", "01.09.2020"], "ГГГГ-ММ-ДД"),
        (["--from", "2021-07-01"], "раньше"),
    ],
)
def test_build_reference_rejects_bad_input(args, message, scenario, tmp_path):
    options = {
        "--template": "methodical-help",
        "--scope": f"municipality:{scenario['municipality'].code}",
        "--from": "2020-09-01",
        "--to": "2021-06-30",
        "--out": str(tmp_path / "r.pdf"),
    }
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        call_command("build_reference", *[x for pair in options.items() for x in pair])
    assert not (tmp_path / "r.pdf").exists()


def test_xlsx_cells_are_typed():
    from openpyxl import Workbook

    from reports.exports import _typed

    ws = Workbook(write_only=True).create_sheet()
    assert _typed(ws, "13") == 13
    assert _typed(ws, "81,25").value == 81.25
    assert _typed(ws, "13 (81,25%)") == "13 (81,25%)"
    assert _typed(ws, "11/17") == "11/17"
