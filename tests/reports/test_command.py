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
    # The workbook goes with the signed version: the author's notes (unapproved reports) stay out of it.
    info = [str(v) for r in wb[wb.sheetnames[0]].iter_rows(values_only=True) for v in r if v is not None]
    assert "Документ" in info and not any("утвержден" in v.lower() for v in info)


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
    assert _typed(ws, "13").value == 13
    assert _typed(ws, "81,25").value == 81.25
    assert _typed(ws, "13 (81,25%)").value == "13 (81,25%)"
    assert _typed(ws, "11/17").value == "11/17"


def _reference_xlsx(tables) -> object:
    import io

    from reports.exports import ReferenceXlsxExporter

    doc = {
        "title": "Справка",
        "scope": {"name": "Район", "authority": ""},
        "period_text": "2020/2021 учебный год",
        "total": 16,
        "not_approved_reports": 0,
        "indicators": [],
        "all_tables": tables,
    }
    _name, _type, content = ReferenceXlsxExporter(doc=doc, filename_stem="r").render({})
    return load_workbook(io.BytesIO(content))


def test_xlsx_totals_and_percentages_are_numbers_with_a_number_format():
    from reports.document.text import Table

    table = Table(
        key="visits",
        title="Посещения",
        head=[[{"text": "ОО"}, {"text": "Посещений"}, {"text": "%"}]],
        rows=[["МОУ СОШ №2", "16", "58,93"]],
        foot=[["Всего", "16", "58,93"]],
    )
    sheet = _reference_xlsx([table])["Посещения"]
    for row in (3, 4):  # a line and the total
        count, percent = sheet.cell(row, 2), sheet.cell(row, 3)
        assert (count.value, count.data_type, count.number_format) == (16, "n", "0")
        assert (percent.value, percent.data_type, percent.number_format) == (58.93, "n", "0.00")
    assert sheet.cell(4, 2).font.bold


def test_xlsx_sheet_names_end_on_a_word_and_are_unique():
    from reports.document.text import Table

    def table(title: str) -> Table:
        return Table(key=title, title=title, head=[[{"text": "ОО"}]], rows=[["МОУ СОШ №2"]])

    wb = _reference_xlsx(
        [
            table("Посещение ОО с целью оказания методической помощи"),
            table("Посещение ОО с целью оказания консультационной помощи"),
            table("Охват"),
        ]
    )
    assert wb.sheetnames == ["Справка", "Посещение ОО с целью оказания", "Посещение ОО с целью (2)", "Охват"]
    assert all(len(name) <= 31 for name in wb.sheetnames)
