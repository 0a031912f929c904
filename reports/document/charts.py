"""Charts and the QR code as inline SVG strings (pygal and qrcode render locally, no network)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pygal
import qrcode
import qrcode.image.svg
from pygal.style import Style

from core.numbers import format_decimal, mean
from monitoring.models import Procedure

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222222",
    foreground_strong="#000000",
    foreground_subtle="#888888",
    colors=("#1f4e79", "#c0504d", "#4f8a3c", "#8064a2", "#d08a1e", "#2c8c99"),
    font_family="PT Sans",
    label_font_family="PT Sans",
    major_label_font_family="PT Sans",
    value_font_family="PT Sans",
    legend_font_family="PT Sans",
    title_font_family="PT Sans",
    tooltip_font_family="PT Sans",
    title_font_size=15,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
    guide_stroke_color="#dddddd",
    major_guide_stroke_color="#bbbbbb",
    guide_stroke_dasharray="2,3",
)

# The coverage bars are light, so that the black percentage printed inside a bar reads.
_BAR_STYLE = Style(**{**_STYLE.to_dict(), "colors": ("#9dc3e6",)})


def _clean(svg: str) -> str:
    """Drop the XML prolog and pygal's script/style references, which must not be fetched."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<script[^>]*>.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<script[^>]*/>", "", svg)
    return svg.strip()


MARK, SCORE = "mark", "score"
# One chart holds one unit: a mark of the 5-point scale (ВПР, ОГЭ, ГВЭ, base mathematics of ЕГЭ) or a
# test score of the 100-point scale (every other ЕГЭ subject); see docs/reference-layout.md.
UNITS = {
    MARK: {
        "title": "Средний балл {label} по ОО перечня (5-балльная шкала)",
        "y_title": "Средний балл",
        "scale": (2, 5),
        "tick_places": 2,
    },
    SCORE: {
        "title": "Средний тестовый балл {label} по ОО перечня (100-балльная шкала)",
        "y_title": "Тестовый балл",
        "scale": (0, 100),
        "tick_places": 0,
    },
}
X_TITLE = "Год (в скобках — число ОО, по которым рассчитано среднее)"


def subject_unit(procedure: str, subject: str) -> str:
    """ЕГЭ gives test scores, except base mathematics, which is marked 2–5 like ВПР, ОГЭ and ГВЭ."""
    if procedure == Procedure.EGE and "базов" not in subject.lower():
        return SCORE
    return MARK


@dataclass(frozen=True)
class Point:
    """The mean of the schools that have a result in a year, and how many they are."""

    mean: Decimal
    schools: int

    @property
    def label(self) -> str:
        return f"{format_decimal(self.mean, 2)} ({self.schools} ОО)"


@dataclass(frozen=True)
class Series:
    subject: str
    unit: str
    points: tuple[Point | None, ...]  # one per year; None where no school has a result (a gap)

    @property
    def years_with_data(self) -> int:
        return sum(p is not None for p in self.points)


def results_series(*, procedure: str, years: list[int], subjects: list[str], values: dict) -> list[Series]:
    """Per subject and year, the half-up mean of the schools' averages (`values`: school id → «subject|year»
    → average, as the snapshot stores them) and the number of schools it is taken over."""
    result = []
    for subject in subjects:
        points = []
        for year in years:
            key = f"{subject}|{year}"
            found = [Decimal(v[key]) for v in values.values() if key in v]
            points.append(Point(mean(found), len(found)) if found else None)
        result.append(Series(subject, subject_unit(procedure, subject), tuple(points)))
    return result


def results_charts(*, procedure: str, label: str, years: list[int], subjects: list[str], values: dict) -> list[dict]:
    """Block 1's charts of one procedure: one per unit (marks and test scores are never on one axis),
    each only when some subject of it has results in two years (a single point shows no dynamics)."""
    series = results_series(procedure=procedure, years=years, subjects=subjects, values=values)
    charts = []
    for unit, spec in UNITS.items():
        group = [s for s in series if s.unit == unit]
        if not any(s.years_with_data >= 2 for s in group):
            continue
        title = spec["title"].format(label=label)
        svg = _results_svg(title, unit, tuple(str(y) for y in years), tuple(group))
        charts.append({"procedure": procedure, "unit": unit, "title": title, "series": group, "svg": svg})
    return charts


class _LabelledLine(pygal.Line):
    """A line chart whose value labels never overlap: the labels of the points above one year are
    stacked at least a line apart (the upper half above their dots, the lower half below)."""

    def _plot(self) -> None:
        self._pending: list[tuple[dict, str, float, float]] = []
        super()._plot()
        self._place_labels()

    def _static_value(self, serie_node, value, x, y, metadata, align_text="left", classes=None) -> None:
        # pygal passes the dot's position shifted by the font size; keep the dot's own.
        size = self.style.value_font_size
        text = (metadata or {}).get("label") or value
        self._pending.append((serie_node, text, x - size, y - size))

    def _place_labels(self) -> None:
        size = self.style.value_font_size
        by_x: dict[float, list[tuple[float, dict, str]]] = {}
        for node, text, x, y in self._pending:
            by_x.setdefault(round(x, 1), []).append((y, node, text))
        xs = sorted(by_x)
        for x in xs:
            items = sorted(by_x[x], key=lambda item: item[0])
            half = (len(items) + 1) // 2
            wanted = [y - 7 if i < half else y + 7 + size for i, (y, _n, _t) in enumerate(items)]
            anchor = "start" if x == xs[0] and len(xs) > 1 else "end" if x == xs[-1] and len(xs) > 1 else "middle"
            shift = {"start": 3, "end": -3, "middle": 0}[anchor]
            for (_y, node, text), baseline in zip(items, spread(wanted, gap=size * 1.2), strict=True):
                self.svg.node(
                    node["text_overlay"],
                    "text",
                    class_="value",
                    x=x + shift,
                    y=baseline,
                    attrib={"text-anchor": anchor},
                ).text = text


def spread(wanted: list[float], gap: float) -> list[float]:
    """Positions as close as possible to the sorted `wanted` ones, each at least `gap` after the one before."""
    placed: list[float] = []
    for want in wanted:
        placed.append(max(want, placed[-1] + gap) if placed else want)
    # Pull a pushed-down run back up around its wishes: shift the whole list by the mean overshoot.
    overshoot = sum(p - w for p, w in zip(placed, wanted, strict=True)) / len(placed) if placed else 0
    return [p - overshoot / 2 for p in placed]


@lru_cache(maxsize=64)
def _results_svg(title: str, unit: str, x_labels: tuple[str, ...], series: tuple[Series, ...]) -> str:
    spec = UNITS[unit]
    scale = spec["scale"]
    points = [float(p.mean) for s in series for p in s.points if p is not None]
    low, high = min(points), max(points)
    # Room above and below the extreme points for their labels, never beyond the unit's scale.
    pad = max((high - low) * 0.2, (scale[1] - scale[0]) * 0.03)
    chart = _LabelledLine(
        range=(max(low - pad, scale[0]), min(high + pad, scale[1])),
        style=_STYLE,
        width=760,
        height=320,
        title=title,
        js=[],
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(series), 4) or 1,
        print_values=True,
        value_formatter=lambda v: format_decimal(v, spec["tick_places"]),
        x_title=X_TITLE,
        y_title=spec["y_title"],
        dots_size=4,
        allow_interruptions=True,  # a year without results is a gap, not a line across it
        include_x_axis=False,
        truncate_legend=-1,
    )
    chart.x_labels = list(x_labels)
    for s in series:
        chart.add(s.subject, [{"value": float(p.mean), "label": p.label} if p else None for p in s.points])
    return _clean(chart.render(is_unicode=True))


def coverage_chart(*, title: str, labels: list[str], values: list[Decimal], places: int = 2) -> str:
    """Horizontal bars of coverage, percent of schools (roadmap monitoring by direction).

    The same figures draw the same chart: references of one area and period, and every version
    generated again after a text edit, take it from a small cache instead of drawing it again."""
    return _coverage_chart(title, tuple(labels), tuple(values), places)


@lru_cache(maxsize=64)
def _coverage_chart(title: str, labels: tuple[str, ...], values: tuple[Decimal, ...], places: int) -> str:
    chart = pygal.HorizontalBar(
        style=_BAR_STYLE,
        width=760,
        height=60 + 34 * max(len(labels), 1),
        title=title,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        # The percentages of the text, printed the same way (half-up, the reference's precision).
        formatter=lambda v: f"{format_decimal(v, places)}%",
        value_formatter=lambda v: f"{format_decimal(v, 0)}%",
        range=(0, 100),
    )
    chart.x_labels = list(labels)
    chart.add("%", [float(v) for v in values])
    return _clean(chart.render(is_unicode=True))


def qr_svg(data: str) -> str:
    """A QR code as an inline <svg> element."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return _clean(buffer.getvalue().decode("utf-8"))
