"""Server-side SVG charts. Each chart has a <title>/<desc> and the page shows the same figures as a table
(the text alternative), so no JavaScript library is needed. Text is drawn at 14-15 units, so that a chart
scaled down to a half-width card or a phone still reads at about 12 px."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# Font sizes in the charts' own units: a 600-unit chart shown 480 px wide still draws 12 px text.
LABEL_FONT = 15
SMALL_FONT = 14


def _colour(percent: Decimal | float | None) -> str:
    if percent is None:
        return "#e5e7eb"
    value = float(percent)
    if value >= 80:
        return "#047857"
    if value >= 50:
        return "#d97706"
    return "#b91c1c"


def bar_chart(
    bars: Sequence[tuple[str, Any]], *, title: str, unit: str = "%", maximum: float | None = 100
) -> SafeString:
    """Horizontal bars (label, value); value None draws an empty bar."""
    width, label_w, row_h = 600, 220, 30
    height = row_h * max(len(bars), 1) + 10
    top = maximum or max([float(v) for _, v in bars if v is not None] + [1])
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="t-{id(bars)}"><title id="t-{id(bars)}">{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(bars):
        y = 5 + i * row_h
        length = 0 if value is None else (width - label_w - 70) * float(value) / top
        colour = _colour(value) if unit == "%" else "#1d4ed8"
        text = "n/a" if value is None else f"{value}{' ' + unit if unit else ''}"
        parts.append(
            f'<text x="0" y="{y + 19}" font-size="{LABEL_FONT}">{escape(str(label)[:24])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="20" fill="{colour}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 19}" font-size="{LABEL_FONT}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heatmap_chart(groups: Sequence[str], rows: Sequence[Any], *, title: str) -> SafeString:
    """Standard × clause-group grid coloured by score."""
    cell_w, cell_h, label_w = 76, 30, 190
    width = label_w + cell_w * max(len(groups), 1)
    height = cell_h * (len(rows) + 1) + 4
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="h-title"><title id="h-title">{escape(title)}</title>'
    ]
    for j, group in enumerate(groups):
        parts.append(f'<text x="{label_w + j * cell_w + 4}" y="19" font-size="{SMALL_FONT}">{escape(group[:9])}</text>')
    for i, row in enumerate(rows):
        y = cell_h * (i + 1)
        parts.append(f'<text x="0" y="{y + 20}" font-size="{LABEL_FONT}">{escape(row.standard[:22])}</text>')
        for j, (_group, value) in enumerate(row.cells):
            number = value if isinstance(value, Decimal) else None
            fill = _colour(number) if value != "—" else "#ffffff"
            shown = value if value is not None else "n/a"
            parts.append(
                f'<rect x="{label_w + j * cell_w}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
                f'<text x="{label_w + j * cell_w + 6}" y="{y + 20}" font-size="{SMALL_FONT}" '
                f'fill="{"#fff" if number is not None else "#111"}">{escape(str(shown))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
