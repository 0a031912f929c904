"""Demo data against the source documents (000 per-school tables, 003 Block 1), and the dynamics table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.numbers import format_count_percent, format_percent, format_ratio
from coverage.selectors import coverage_compute
from monitoring import demo as monitoring_demo
from monitoring.models import AssessmentResult, IndicatorValue, MethodicalVisit
from monitoring.selectors import Scope, dynamics_table, school_dynamics
from schools import demo as schools_demo
from schools.models import School


@pytest.fixture
def demo(db):
    schools_demo.load()
    monitoring_demo.load()


def test_seed_000_figures(demo):
    data = coverage_compute(
        scope=Scope("municipality", "BEL-BR"), date_from=dt.date(2020, 9, 1), date_to=dt.date(2021, 6, 30)
    )
    by_code = {s["code"]: s for s in data["schools"]}
    assert sorted(by_code) == ["BEL-01", "BEL-02", "BEL-03", "BEL-04", "BEL-05"]  # BEL-L1 is not in the registry
    expected = {
        "BEL-01": ("11/17", "64,71", "29,41"),
        "BEL-02": ("25/37", "67,57", "24,32"),
        "BEL-03": ("12/15", "80,00", "40,00"),
        "BEL-04": ("15/35", "42,86", "20,00"),
        "BEL-05": ("3/8", "37,50", "12,50"),
    }
    for code, (ratio, percent, iot) in expected.items():
        facts = data["per_school"][str(by_code[code]["id"])]["indicators"]
        trained, iot_value = facts["teachers_trained"], facts["teachers_iot"]
        assert format_ratio(Decimal(trained["value"]), trained["denominator"]) == ratio
        assert format_percent(Decimal(trained["value"]), trained["denominator"]) == percent
        assert format_percent(Decimal(iot_value["value"]), iot_value["denominator"]) == iot
    yasn = data["per_school"][str(by_code["BEL-04"]["id"])]
    # 000 prints «03.12.2021» for Яснозоренская: outside this period, so two visits remain.
    assert yasn["visits"] == ["2021-03-23", "2021-04-20"]
    assert yasn["indicators"]["contest_participants"]["value"] == "7"
    assert yasn["indicators"]["methodical_association_participants"]["value"] == "27"
    assert data["per_school"][str(by_code["BEL-02"]["id"])]["visits"] == [
        "2020-09-30",
        "2021-03-10",
        "2021-04-22",
        "2021-05-17",
        "2021-05-19",
    ]
    for indicator in data["indicators"]:
        assert format_count_percent(indicator["count"], data["total"]) == "5 (100,00%)", indicator["code"]


def test_seed_003_block_1(demo):
    krasnoyarsk = School.objects.get(code="VLG-01")
    rows = {(r.procedure, r.subject, r.year): r.average for r in AssessmentResult.objects.filter(school=krasnoyarsk)}
    assert rows[("vpr", "Русский язык", 2019)] == Decimal("3.58")
    assert rows[("vpr", "Математика", 2020)] == Decimal("3.40")
    assert ("oge", "Русский язык", 2020) not in rows  # «-» in the source
    assert rows[("ege", "Математика (базовая)", 2019)] == Decimal("3.20")  # «3,2 /50»
    assert rows[("ege", "Математика (профильная)", 2019)] == Decimal("50")
    assert ("gve", "Русский язык", 2021) not in rows  # 0: nobody sat it
    table = school_dynamics(krasnoyarsk)
    oge = next(p for p in table["procedures"] if p["code"] == "oge")
    russian = next(line for line in oge["subjects"] if line["subject"] == "Русский язык")
    cells = {c["year"]: c for c in russian["cells"]}
    assert cells[2020]["value"] is None
    assert cells[2021]["decline"] and cells[2021]["previous_year"] == 2019
    assert AssessmentResult.objects.filter(school__code__startswith="VLG-").count() == 47


def test_demo_is_idempotent(demo):
    counts = (MethodicalVisit.objects.count(), IndicatorValue.objects.count(), AssessmentResult.objects.count())
    history = MethodicalVisit.history.count() + IndicatorValue.history.count() + AssessmentResult.history.count()
    monitoring_demo.load()
    assert (MethodicalVisit.objects.count(), IndicatorValue.objects.count(), AssessmentResult.objects.count()) == counts
    assert (
        MethodicalVisit.history.count() + IndicatorValue.history.count() + AssessmentResult.history.count() == history
    )


def test_dynamics_table_gaps_and_declines():
    rows = [
        ("vpr", "Математика", 2019, Decimal("3.56")),
        ("vpr", "Математика", 2020, Decimal("3.4")),
        ("vpr", "Математика", 2021, Decimal("3.66")),
        ("vpr", "Русский язык", 2021, Decimal("3.61")),
        ("ege", "Русский язык", 2019, Decimal("51")),
    ]
    table = dynamics_table(rows)
    assert table["years"] == [2019, 2020, 2021]
    assert [p["code"] for p in table["procedures"]] == ["vpr", "ege"]
    vpr = table["procedures"][0]
    math = [(c["value"], c["decline"]) for c in vpr["subjects"][0]["cells"]]
    assert math == [(Decimal("3.56"), False), (Decimal("3.40"), True), (Decimal("3.66"), False)]
    russian = [c["value"] for c in vpr["subjects"][1]["cells"]]
    assert russian == [None, None, Decimal("3.61")]
    assert vpr["chart"]["datasets"][1]["data"] == [None, None, 3.61]
    assert vpr["chart"]["labels"] == ["2019", "2020", "2021"]


def test_dynamics_of_no_results_is_empty():
    assert dynamics_table([]) == {"years": [], "procedures": []}
