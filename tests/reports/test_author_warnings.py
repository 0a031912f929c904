"""Warnings for the author (issue 12, items 1, 3, 4): computed from the snapshot, shown on the
reference page, never printed in the signed text; values entered for a period overlapping the
reference's count and say which period they belong to (docs/contracts.md → Coverage rules).

Hand-computed on the scope of conftest (`scenario`), whose values are entered for 01.09.2020–30.06.2021.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reports import services
from reports.document import document_build
from reports.models import ReferenceVersion
from reports.selectors.snapshot import snapshot_compute
from reports.selectors.warnings import author_warnings
from tests import factories as f

from .conftest import PERIOD, pdf_text, squash

HALF = (dt.date(2020, 9, 1), dt.date(2020, 12, 31))


def _snapshot(scenario, period=PERIOD, template="methodical-help"):
    return snapshot_compute(
        scope_kind="municipality",
        scope_code=scenario["municipality"].code,
        date_from=period[0],
        date_to=period[1],
        template=template,
    )


def _warnings(snapshot) -> dict[str, object]:
    return {w.key: w for w in author_warnings(snapshot)}


def _render(reference, user, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        version = services.reference_generate(reference=reference, user=user)
    version = ReferenceVersion.objects.get(pk=version.pk)
    assert version.job.status == "done", version.job.message
    return pdf_text(bytes(version.pdf))


def _value(school, code, value, period, denominator=None):
    f.IndicatorValueFactory(
        school=school,
        indicator=f.indicator(code),
        value=Decimal(value),
        denominator=denominator,
        period_from=period[0],
        period_to=period[1],
    )


# --- Item 1: unapproved reports are the author's warning, not the signed text ----------------------


def test_pending_reports_are_a_warning_and_not_printed(
    scenario, make_reference, methodist, django_capture_on_commit_callbacks
):
    reference = make_reference("methodical-help")
    warning = _warnings(_snapshot(scenario))["not_approved"]
    assert warning.text.startswith("Не утверждено отчётов ОО за период: 1.")
    assert warning.sentence == "Не утверждено отчётов ОО за период: 1; они не учтены в расчётах."
    text = _render(reference, methodist, django_capture_on_commit_callbacks)
    assert squash("Не утверждено") not in text and squash("не учтены в расчётах") not in text
    # The draft remarks of the portal do not carry it either.
    assert "не утверждено" not in make_reference("roadmap-monitoring").remarks.lower()


def test_the_methodist_may_print_a_sentence_about_it(make_reference, methodist, django_capture_on_commit_callbacks):
    reference = make_reference("program-report")
    note = "Не утверждено отчётов ОО за период: 1; они не учтены в расчётах."
    services.reference_update(
        reference=reference, user=methodist, data={"data_note": note}, recommendations=[], version=reference.version
    )
    reference.refresh_from_db()
    assert reference.data_note == note
    assert squash(note) in _render(reference, methodist, django_capture_on_commit_callbacks)


def test_the_reference_page_shows_the_warnings(client, make_reference, methodist, scenario):
    reference = make_reference("methodical-help")
    f.MethodicalVisitFactory(school=scenario["alfa"], date=dt.date(2021, 12, 3))
    client.force_login(methodist)
    body = client.get(f"/references/{reference.pk}/").content.decode()
    assert "Для автора: проверьте данные перед формированием" in body
    assert "Не утверждено отчётов ОО за период: <strong>" not in body  # the old in-table note is gone
    assert "Не утверждено отчётов ОО за период: 1." in body
    assert "МОУ «Альфа СОШ» — 03.12.2021" in body
    edit = client.get(f"/references/{reference.pk}/edit/").content.decode()
    assert "МОУ «Альфа СОШ» — 03.12.2021" in edit and 'name="data_note"' in edit


# --- Item 3: visits dated outside the period -------------------------------------------------------


def test_visits_outside_the_period_are_listed(scenario):
    alfa, beta, vega = scenario["alfa"], scenario["beta"], scenario["vega"]
    f.MethodicalVisitFactory(school=alfa, date=dt.date(2021, 12, 3))  # the source's typo for 03.12.2020
    f.MethodicalVisitFactory(school=vega, date=dt.date(2020, 8, 31))  # the day before the period
    f.MethodicalVisitFactory(school=vega, date=dt.date(2019, 8, 30))  # more than a year before: not listed
    f.MethodicalVisitFactory(school=alfa, date=dt.date(2022, 7, 1))  # more than a year after: not listed
    f.MethodicalVisitFactory(school=scenario["leader"], date=dt.date(2021, 7, 5))  # not in scope
    snapshot = _snapshot(scenario)
    assert snapshot["visits_outside"] == [
        {"school_id": vega.pk, "date": "2020-08-31"},
        {"school_id": beta.pk, "date": "2021-07-02"},
        {"school_id": alfa.pk, "date": "2021-12-03"},
    ]
    # The visits of the period itself (01.12.2020, 08.06.2021, 10.03.2021) count and are not listed.
    assert snapshot["coverage"]["per_school"][str(alfa.pk)]["visits"] == ["2020-12-01", "2021-06-08"]
    assert _warnings(snapshot)["visits_outside"].rows == [
        "МОУ «Вега СОШ» — 31.08.2020",
        "МОУ «Бета ООШ» — 02.07.2021",
        "МОУ «Альфа СОШ» — 03.12.2021",
    ]


def test_no_visit_outside_no_warning(scenario):
    from monitoring.models import MethodicalVisit

    MethodicalVisit.objects.filter(school=scenario["beta"]).delete()
    assert "visits_outside" not in _warnings(_snapshot(scenario))


# --- Item 4: values of a period overlapping the reference's ---------------------------------------


@pytest.fixture
def half_year_values(scenario):
    """Beside conftest's values for 01.09.2020–30.06.2021 (partly overlapping the half year):
    Вега trained 4 of 20 exactly for the half year; Альфа 1 contest participant exactly for it (wins
    over the year's 2); Вега's ИОТ 6 for January–June 2021 (wholly outside)."""
    _value(scenario["vega"], "teachers_trained", 4, HALF)
    _value(scenario["alfa"], "contest_participants", 1, HALF)
    _value(scenario["vega"], "teachers_iot", 6, (dt.date(2021, 1, 1), dt.date(2021, 6, 30)))
    return scenario


def test_half_year_counts_overlapping_values_with_their_period(half_year_values):
    s = half_year_values
    snapshot = _snapshot(s, HALF)
    per_school = snapshot["coverage"]["per_school"]
    assert per_school[str(s["alfa"].pk)]["indicators"]["teachers_trained"] == {
        "value": "11",
        "denominator": 17,
        "from": "2020-09-01",
        "to": "2021-06-30",
    }
    assert per_school[str(s["alfa"].pk)]["indicators"]["contest_participants"]["value"] == "1"  # exact wins
    assert per_school[str(s["vega"].pk)]["indicators"]["teachers_trained"]["value"] == "4"
    assert "teachers_iot" not in per_school[str(s["vega"].pk)]["indicators"]  # wholly outside
    doc = document_build(snapshot=snapshot, narrative={}, template="methodical-help", precision=2)
    trained = doc["tables"]["trained"]
    assert [row[1:] for row in trained.rows] == [["11/17*", "64,71"], ["3/8*", "37,50"], ["4/20", "20,00"]]
    assert trained.foot == [["Всего", "18/45", "40,00"]]
    assert trained.notes == ["* Значение за период с 01.09.2020 по 30.06.2021."]
    iot = doc["tables"]["iot"]
    assert [row[1] for row in iot.rows] == ["5*", "–", "–"]
    contests = doc["tables"]["contests"]
    assert [row[1] for row in contests.rows] == ["1", "7*", "–"]
    assert contests.foot[0][1] == "8"
    rows = _warnings(snapshot)["value_periods"].rows
    assert (
        "МОУ «Альфа СОШ» — «Педагоги, прошедшие повышение квалификации»: значение за период с 01.09.2020 по 30.06.2021"
        in rows
    )
    assert not any("Вега" in row and "квалификации" in row for row in rows)  # exact: no warning
    # Альфа's eight values of the year (its participants of the half year win) and Бета's two.
    assert len(rows) == 10


def test_half_year_pdf_prints_the_values_and_their_period(
    half_year_values, methodist, django_capture_on_commit_callbacks
):
    reference = services.reference_create(
        user=methodist,
        template="methodical-help",
        scope_kind="municipality",
        scope_code=half_year_values["municipality"].code,
        date_from=HALF[0],
        date_to=HALF[1],
    )
    text = _render(reference, methodist, django_capture_on_commit_callbacks)
    assert squash("МОУ «Альфа СОШ» 11/17* 64,71") in text
    assert squash("Всего 18/45 40,00") in text
    assert squash("* Значение за период с 01.09.2020 по 30.06.2021.") in text
    assert squash("Всего 0/0") not in text


def test_values_of_the_reference_period_carry_no_mark_and_no_warning(scenario):
    snapshot = _snapshot(scenario)  # conftest's values are entered exactly for the period
    doc = document_build(snapshot=snapshot, narrative={}, template="methodical-help", precision=2)
    assert doc["tables"]["trained"].rows[0][1] == "11/17" and doc["tables"]["trained"].notes == []
    assert "value_periods" not in _warnings(snapshot)
