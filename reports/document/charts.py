"""Charts and the QR code as inline SVG strings (pygal and qrcode render locally, no network)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from functools import lru_cache

import pygal
import qrcode
import qrcode.image.svg
from pygal.style import Style

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


def _clean(svg: str) -> str:
    """Drop the XML prolog and pygal's script/style references, which must not be fetched."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<script[^>]*>.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<script[^>]*/>", "", svg)
    return svg.strip()


def results_chart(*, title: str, years: list[int], means: dict[str, list[Decimal | None]]) -> str:
    """Line chart of the mean score per subject across the years (Block 1)."""
    points = [float(v) for values in means.values() for v in values if v is not None]
    # A margin of a tenth of the spread above and below keeps the lowest point's value label off the
    # year labels and the highest one inside the plot.
    low, high = (min(points), max(points)) if points else (0.0, 5.0)
    pad = max((high - low) * 0.1, 0.05)
    chart = pygal.Line(
        range=(max(low - pad, 0.0), high + pad),
        style=_STYLE,
        width=760,
        height=300,
        title=title,
        js=[],
        disable_xml_declaration=True,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=min(len(means), 4) or 1,
        print_values=True,
        formatter=lambda v: f"{v:.2f}".replace(".", ",") if v is not None else "",
        value_formatter=lambda v: f"{v:.2f}".replace(".", ","),
        x_title="Год",
        y_title="Средний балл",
        dots_size=4,
        allow_interruptions=False,
        include_x_axis=False,
    )
    chart.x_labels = [str(y) for y in years]
    for subject, values in means.items():
        chart.add(subject, [float(v) if v is not None else None for v in values])
    return _clean(chart.render(is_unicode=True))


def coverage_chart(*, title: str, labels: list[str], values: list[float]) -> str:
    """Horizontal bars of coverage, percent of schools (roadmap monitoring by direction).

    The same figures draw the same chart: references of one area and period, and every version
    generated again after a text edit, take it from a small cache instead of drawing it again."""
    return _coverage_chart(title, tuple(labels), tuple(values))


@lru_cache(maxsize=64)
def _coverage_chart(title: str, labels: tuple[str, ...], values: tuple[float, ...]) -> str:
    chart = pygal.HorizontalBar(
        style=_STYLE,
        width=760,
        height=60 + 34 * max(len(labels), 1),
        title=title,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        formatter=lambda v: f"{v:.1f}%".replace(".", ","),
        value_formatter=lambda v: f"{v:.0f}%",
        range=(0, 100),
    )
    chart.x_labels = list(labels)
    chart.add("%", list(values))
    return _clean(chart.render(is_unicode=True))


def qr_svg(data: str) -> str:
    """A QR code as an inline <svg> element."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return _clean(buffer.getvalue().decode("utf-8"))
