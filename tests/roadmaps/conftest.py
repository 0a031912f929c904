"""Fixtures of the roadmaps tests: the current-quarter report filled, submitted, approved (the roadmap
and the report themselves are shared, in tests/conftest.py)."""

from __future__ import annotations

import pytest

from roadmaps import services
from roadmaps.models import QuarterlyReport

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fill_lines(report: QuarterlyReport, user, **overrides) -> QuarterlyReport:
    report.refresh_from_db()
    values = {"status": "done", "result": "Проведено, 12 педагогов", "participants": 12, **overrides}
    services.report_save(
        report=report,
        user=user,
        version=report.version,
        lines={line.pk: dict(values) for line in report.lines.all()},
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def submitted_report(report, director):
    fill_lines(report, director)
    services.report_submit(report=report, user=director, version=report.version)
    report.refresh_from_db()
    return report


@pytest.fixture
def approved_report(submitted_report, methodist):
    services.report_approve(report=submitted_report, user=methodist, version=submitted_report.version)
    submitted_report.refresh_from_db()
    return submitted_report
