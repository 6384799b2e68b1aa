"""The dashboard's charts: their text stays readable when the chart is scaled to a card or a phone."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

from conformo.readiness.charts import bar_chart, heatmap_chart


def _font_sizes(svg: str) -> list[int]:
    return [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]


def _view_width(svg: str) -> int:
    match = re.search(r'viewBox="0 0 (\d+) \d+"', svg)
    assert match is not None
    return int(match.group(1))


def test_bar_chart_text_reads_at_12_px_or_more_in_a_480_px_card() -> None:
    svg = str(bar_chart([("ISO 9001:2015", Decimal("100.0")), ("ISO 14001:2015", None)], title="Readiness"))
    scale = 480 / _view_width(svg)
    assert _font_sizes(svg)
    assert min(_font_sizes(svg)) * scale >= 12


def test_bar_chart_value_labels_stay_inside_the_chart() -> None:
    svg = str(bar_chart([("ISO 9001:2015", Decimal("100.0"))], title="Readiness"))
    value_x = max(float(x) for x in re.findall(r'<text x="([\d.]+)"', svg))
    assert value_x + len("100.0 %") * 9 <= _view_width(svg)


def test_heatmap_text_is_at_least_14_units() -> None:
    row = SimpleNamespace(standard="ISO 9001:2015", cells=[("Context", Decimal("80.0")), ("Support", None)])
    svg = str(heatmap_chart(["Context", "Support"], [row], title="Heatmap"))
    assert min(_font_sizes(svg)) >= 14
