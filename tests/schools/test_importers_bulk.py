"""`ОО` sheet: the query count does not grow with the rows, bulk-written schools keep their history,
re-importing the same file changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.workbook import run_import
from schools.models import School
from tests import factories as f
from tests.fixtures.workbooks import OO_HEADER, REGISTRY_HEADER, make_workbook

OO = OO_HEADER

# SQLite takes at most 999 parameters a statement, so Django splits bulk statements into batches there.
BATCHES = 0 if connection.vendor == "postgresql" else 6

pytestmark = pytest.mark.django_db


def oo_rows(municipality, count: int, *, existing: int = 0) -> list[list]:
    """`existing` rows update the factory schools S-EX-…, the rest create new schools."""
    rows = [OO]
    for n in range(count):
        code = f"S-EX-{n}" if n < existing else f"S-NEW-{n}"
        rows.append([code, f"МОУ СОШ № {n}", municipality.code, "СОШ", "Петрова П.П.", 20 + n, 200, "нет"])
    return rows


def queries_of(sheets: dict) -> int:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            result = run_import(make_workbook(sheets), by_command=True)
        assert result.ok, result.error_lines()
        transaction.set_rollback(True)
    return len(queries)


def test_schools_sheet_query_count_does_not_grow_with_rows(municipality):
    for n in range(60):
        f.SchoolFactory(municipality=municipality, code=f"S-EX-{n}", teachers_count=1)
    few = queries_of({"ОО": oo_rows(municipality, 20, existing=10)})
    many = queries_of({"ОО": oo_rows(municipality, 120, existing=60)})
    assert many <= few + BATCHES, (few, many)


def test_bulk_written_schools_have_history_and_reimport_changes_nothing(municipality, admin_user):
    for n in range(5):
        f.SchoolFactory(municipality=municipality, code=f"S-EX-{n}", teachers_count=1)
    data = make_workbook({"ОО": oo_rows(municipality, 12, existing=5)})
    result = run_import(data, user=admin_user)
    assert result.ok, result.error_lines()
    assert result.counts == {"ОО": (7, 5)}
    created = School.objects.filter(code__startswith="S-NEW-")
    assert created.count() == 7
    for school in created:
        assert [(h.history_type, h.history_user_id) for h in school.history.all()] == [("+", admin_user.pk)]
    updated = School.objects.get(code="S-EX-3")
    assert (updated.teachers_count, updated.name, updated.director_name) == (23, "МОУ СОШ № 3", "Петрова П.П.")
    latest = updated.history.latest()
    assert (latest.history_type, latest.teachers_count, latest.history_user_id) == ("~", 23, admin_user.pk)
    counts = School.history.count()
    again = run_import(data, user=admin_user)
    assert again.ok and again.counts == {"ОО": (0, 0)} and again.changes_total == 0
    assert School.history.count() == counts


def test_registry_checks_without_queries_say_what_full_clean_says(school):
    """The registry rows are validated in memory with the messages `full_clean()` gives, without its queries."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from schools.importers import _registry_full_clean
    from schools.models import RegistryEntry

    cases = [
        {"included_on": dt.date(2020, 10, 1), "excluded_on": dt.date(2020, 9, 1), "exclusion_reason": "Приказ"},
        {"included_on": dt.date(2020, 9, 1), "excluded_on": dt.date(2020, 12, 1), "exclusion_reason": ""},
        {"included_on": dt.date(2020, 10, 1), "excluded_on": dt.date(2020, 9, 1), "exclusion_reason": ""},
        {"included_on": dt.date(2020, 9, 1), "excluded_on": None, "category": "другая"},
    ]
    for values in cases:
        entry = RegistryEntry(school=school, academic_year=2020, **{"category": "shnor", **values})
        with pytest.raises(ValidationError) as expected:
            entry.full_clean()
        with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as got:
            _registry_full_clean(entry)
        assert sorted(got.value.messages) == sorted(expected.value.messages), values
        assert len(queries) == 0
    _registry_full_clean(
        RegistryEntry(school=school, academic_year=2020, category="shnor", included_on=dt.date(2020, 9, 1))
    )


REESTR = REGISTRY_HEADER


def test_registry_sheet_query_count_does_not_grow_with_rows(municipality):
    """Without curators and mentors (those are still matched row by row)."""
    for n in range(60):
        school = f.SchoolFactory(municipality=municipality, code=f"S-EX-{n}")
        if n % 2:
            f.RegistryEntryFactory(school=school, academic_year=2020)

    def registry(count: int) -> dict:
        row = ["2020/2021", "ШФНСУ", "Приказ № 5", "01.10.2020", "", "", "", ""]
        return {"Реестр": [REESTR] + [[f"S-EX-{n}", *row] for n in range(count)]}

    few, many = queries_of(registry(10)), queries_of(registry(60))
    assert many <= few + BATCHES, (few, many)
