"""The exporter interface of core/exporters.py: one safe-cell rule, every registered exporter keeps
formula-like text as text, results become downloads or files."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from core.exporters import (
    XLSX_CONTENT_TYPE,
    Exporter,
    ExportResult,
    export_response,
    register,
    registered,
    safe_cell,
    write_export,
)
from tests import factories as f

FORMULA = "=1+1"


def test_safe_cell_escapes_formulas_and_strips_control_characters():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+7 (4722) 39-90-30") == "'+7 (4722) 39-90-30"
    assert safe_cell("-консультации") == "'-консультации"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=1") == "'\t=1"
    assert safe_cell("Школа\x07 №\x1b1") == "Школа №1"
    assert safe_cell("МОУ «Журавлевская СОШ»") == "МОУ «Журавлевская СОШ»"
    assert safe_cell(-1) == -1 and safe_cell(None) is None and safe_cell(dt.date(2021, 1, 1)) == dt.date(2021, 1, 1)


# How to make each registered exporter write FORMULA somewhere: a new exporter needs a line here.
def _reference(school) -> ExportResult:
    from reports.exports import ReferenceXlsxExporter

    doc = {
        "title": "Справка",
        "scope": {"name": school.municipality.name, "authority": ""},
        "period_text": "2020/2021",
        "total": 1,
        "not_approved_reports": 0,
        "indicators": [{"name": FORMULA, "value": "1 (100,00%)"}],
        "all_tables": [],
    }
    return ReferenceXlsxExporter(doc=doc, filename_stem="spravka").render({})


def _coverage(school) -> ExportResult:
    from coverage.exports import CoverageExporter
    from coverage.selectors import coverage_compute
    from monitoring.selectors import Scope

    f.RegistryEntryFactory(school=school, academic_year=2020)
    data = coverage_compute(
        scope=Scope("municipality", school.municipality.code),
        date_from=dt.date(2020, 9, 1),
        date_to=dt.date(2021, 6, 30),
    )
    return CoverageExporter(data=data).render({})


def _report_lines(school) -> ExportResult:
    from roadmaps.exports import ReportLinesExporter

    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    report = f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status="approved")
    f.ActivityReportFactory(report=report, activity=f.ActivityFactory(roadmap=roadmap), result="Проведено")
    return ReportLinesExporter(schools=[school.pk]).render({"period_from": (2021, 1), "period_to": (2021, 1)})


def _workbook_template(school) -> ExportResult:
    from core.exports import WorkbookTemplateExporter
    from schools.models import Municipality, School

    return WorkbookTemplateExporter(
        schools=School.objects.filter(pk=school.pk),
        municipalities=Municipality.objects.filter(pk=school.municipality_id),
    ).render({})


BUILDERS: dict[str, Callable] = {
    "reference-xlsx": _reference,
    "coverage-xlsx": _coverage,
    "report-lines": _report_lines,
    "workbook-template": _workbook_template,
}


def _bytes(content) -> bytes:
    if isinstance(content, bytes):
        return content
    if hasattr(content, "read"):
        with content:
            return content.read()
    return b"".join(content)


def test_every_registered_exporter_has_a_formula_check():
    assert set(registered()) == set(BUILDERS)


@pytest.mark.parametrize("identifier", sorted(BUILDERS))
def test_registered_exporter_writes_formula_like_text_as_text(identifier, municipality):
    exporter = registered()[identifier]
    assert issubclass(exporter, Exporter) and exporter.identifier == identifier and str(exporter.verbose_name)
    school = f.SchoolFactory(municipality=municipality, name=FORMULA)
    filename, content_type, content = BUILDERS[identifier](school)
    assert filename.endswith(".xlsx") and content_type == XLSX_CONTENT_TYPE
    wb = load_workbook(io.BytesIO(_bytes(content)))
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if "1+1" in str(cell.value or "")]
    assert cells, f"{identifier} wrote no cell with the formula-like text"
    for cell in cells:
        assert (cell.value, cell.data_type) == ("'" + FORMULA, "s"), (identifier, cell.coordinate, cell.value)


def test_an_identifier_belongs_to_one_exporter():
    class Again(Exporter):
        identifier = "workbook-template"
        verbose_name = "Другой шаблон"

    registered()
    with pytest.raises(ValueError, match="workbook-template"):
        register(Again)


def test_export_response_downloads_bytes_files_and_streams():
    for content in (b"PK\x03\x04", io.BytesIO(b"PK\x03\x04"), iter([b"PK", b"\x03\x04"])):
        response = export_response(("otchet.xlsx", XLSX_CONTENT_TYPE, content))
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert response["Content-Disposition"] == 'attachment; filename="otchet.xlsx"'
        body = b"".join(response) if response.streaming else response.content
        assert body == b"PK\x03\x04"


def test_write_export_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out" / "file.xlsx"
    assert write_export(iter([b"PK", b"\x03\x04"]), target) == 4
    assert target.read_bytes() == b"PK\x03\x04"

    def broken():
        yield b"PK"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_export(broken(), target)
    assert target.read_bytes() == b"PK\x03\x04"  # the earlier file stays whole
    assert [p.name for p in target.parent.iterdir()] == ["file.xlsx"]
