"""Bar charts drawn on the server as SVG: no script, no inline style (the CSP forbids both).

Each bar has its label on a line of its own above it, so a chart stays readable on a phone
screen; the SVG scales to the width of its box. The numbers are always in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 320
ROW = 40
BAR = 16


def bar_chart(title: str, bars: Sequence[tuple[str, Decimal | None, str]]) -> Markup:
    """`bars`: (label, value or None when hidden, value as text). Hidden bars are hatched."""
    top = max((float(v) for _label, v, _text in bars if v is not None), default=0.0) or 1.0
    height = ROW * len(bars) + 4
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value, text) in enumerate(bars):
        y = ROW * index + 2
        width = 0.0 if value is None else max(float(value) / top * (WIDTH - 70), 1.0)
        kind = "bar hidden" if value is None else "bar"
        parts.append(
            f'<g transform="translate(0 {y})">'
            f'<text x="0" y="13" class="chart-label">{escape(label[:48])}</text>'
            f'<rect x="0" y="18" height="{BAR}" width="{width if value is not None else 24:.1f}" '
            f'rx="2" class="{kind}"></rect>'
            f'<text x="{(width if value is not None else 24) + 6:.1f}" y="31" '
            f'class="chart-value">{escape(text)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
