"""Block 1's charts and the coverage chart: one rounding, one unit per chart, gaps, counts, no overlaps."""

from __future__ import annotations

import re
from decimal import Decimal

from reports.document import charts

RU, BASE, PROF = "Русский язык", "Математика (базовая)", "Математика (профильная)"
YEARS = [2019, 2020, 2021]


def _values(rows: list[tuple[str, str, int, str]]) -> dict:
    """(school id, subject, year, average) rows → the snapshot's values."""
    values: dict = {}
    for school, subject, year, average in rows:
        values.setdefault(school, {})[f"{subject}|{year}"] = average
    return values


def _labels(svg: str) -> list[tuple[float, float, str]]:
    """The printed value labels: (x, y, text)."""
    found = re.findall(r'<text text-anchor="\w+" x="([\d.-]+)" y="([\d.-]+)" class="value">([^<]*)</text>', svg)
    return [(float(x), float(y), text) for x, y, text in found]


def _series_paths(svg: str) -> list[str]:
    return re.findall(r'<path d="([^"]*)" class="line reactive nofill" />', svg)


def test_means_round_half_up_and_count_the_schools():
    values = _values([("1", RU, 2019, "3.40"), ("2", RU, 2019, "3.41"), ("1", RU, 2021, "3.5")])
    (series,) = charts.results_series(procedure="oge", years=YEARS, subjects=[RU], values=values)
    assert series.points[0] == charts.Point(Decimal("3.41"), 2)  # 3,405 → 3,41, as the tables print it
    assert series.points[1] is None  # no school has a result in 2020
    assert series.points[2] == charts.Point(Decimal("3.50"), 1)
    (chart,) = charts.results_charts(procedure="oge", label="ОГЭ", years=YEARS, subjects=[RU], values=values)
    texts = [text for _x, _y, text in _labels(chart["svg"])]
    assert texts == ["3,41 (2 ОО)", "3,50 (1 ОО)"]


def test_a_year_without_results_is_a_gap_not_a_bridge():
    values = _values([("1", RU, 2019, "3.4"), ("1", RU, 2021, "3.5"), ("1", RU, 2022, "3.6")])
    (chart,) = charts.results_charts(procedure="oge", label="ОГЭ", years=[*YEARS, 2022], subjects=[RU], values=values)
    # One segment, 2021 → 2022; the 2019 point stands alone (a bridged line would have three points).
    (path,) = _series_paths(chart["svg"])
    assert len(re.findall(r"[\d.]+", path)) == 4, path
    assert len(_labels(chart["svg"])) == 3


def test_marks_and_scores_are_never_on_one_axis():
    values = _values(
        [
            ("1", RU, 2019, "51"),
            ("1", RU, 2020, "73"),
            ("1", BASE, 2019, "3.2"),
            ("2", BASE, 2019, "3"),
            ("2", BASE, 2021, "4"),
            ("1", PROF, 2019, "50"),
            ("1", PROF, 2021, "45"),
        ]
    )
    result = charts.results_charts(procedure="ege", label="ЕГЭ", years=YEARS, subjects=[RU, BASE, PROF], values=values)
    by_unit = {c["unit"]: c for c in result}
    assert set(by_unit) == {charts.MARK, charts.SCORE}
    assert [s.subject for s in by_unit[charts.MARK]["series"]] == [BASE]
    assert [s.subject for s in by_unit[charts.SCORE]["series"]] == [RU, PROF]
    assert "5-балльная шкала" in by_unit[charts.MARK]["title"]
    assert "100-балльная шкала" in by_unit[charts.SCORE]["title"]
    assert "3,10 (2 ОО)" in by_unit[charts.MARK]["svg"]
    assert BASE not in by_unit[charts.SCORE]["svg"]


def test_a_unit_with_one_year_of_results_draws_no_chart():
    values = _values([("1", BASE, 2019, "3.2"), ("1", PROF, 2019, "50"), ("1", PROF, 2021, "45")])
    result = charts.results_charts(procedure="ege", label="ЕГЭ", years=YEARS, subjects=[BASE, PROF], values=values)
    assert [c["unit"] for c in result] == [charts.SCORE]
    assert charts.subject_unit("vpr", RU) == charts.MARK
    assert charts.subject_unit("ege", RU) == charts.SCORE


def test_value_labels_of_one_year_do_not_overlap():
    # Four subjects within 0,03 of each other in every year: their labels would sit on each other.
    subjects = ["Русский язык", "Математика", "История", "Биология"]
    values = _values(
        [("1", s, y, str(Decimal("3.50") + Decimal(i) / 100)) for i, s in enumerate(subjects) for y in YEARS]
    )
    (chart,) = charts.results_charts(procedure="vpr", label="ВПР", years=YEARS, subjects=subjects, values=values)
    labels = _labels(chart["svg"])
    assert len(labels) == 12
    size = charts._STYLE.value_font_size
    for x in {x for x, _y, _t in labels}:
        ys = sorted(y for lx, y, _t in labels if lx == x)
        assert all(b - a >= size for a, b in zip(ys, ys[1:], strict=False)), ys


def test_spread_keeps_the_gap_and_the_order():
    placed = charts.spread([10, 11, 12, 40], gap=10)
    assert all(b - a >= 10 for a, b in zip(placed, placed[1:], strict=False))
    assert charts.spread([5, 50], gap=10) == [5, 50]


def test_coverage_chart_prints_the_texts_percentages():
    svg = charts.coverage_chart(
        title="Доля ОО", labels=["Первое", "Второе"], values=[Decimal("81.25"), Decimal("18.75")], places=2
    )
    assert "81,25%" in svg and "18,75%" in svg
    one = charts.coverage_chart(title="Доля ОО", labels=["Первое"], values=[Decimal("81.3")], places=1)
    assert "81,3%" in one and "81,2%" not in one
