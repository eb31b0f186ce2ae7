"""A horizontal bar chart of the money picture, drawn on the server as SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from registry.payments.picture import MoneyPicture

WIDTH = 640
LABEL = 180
BAR = 18
GAP = 14


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    kind: str  # paid, failed, uncollected


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    segments: list[Segment]
    budget_x: float | None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]


def draw(picture: MoneyPicture, language: str) -> Chart:
    scale_max = max(
        [max(r.budget, r.committed) for r in picture.rows] + [Decimal(1)], default=Decimal(1)
    )
    room = WIDTH - LABEL - 10

    def x(value: Decimal) -> float:
        return round(float(value / scale_max) * room, 1)

    bars = []
    for i, row in enumerate(picture.rows):
        y = 10 + i * (BAR + GAP)
        segments, start = [], float(LABEL)
        for kind, value in (
            ("paid", row.paid),
            ("failed", row.failed),
            ("uncollected", row.uncollected),
        ):
            if value > 0:
                width = x(value)
                segments.append(Segment(start, width, kind))
                start += width
        budget_x = LABEL + x(row.budget) if row.budget > 0 else None
        label = f"{row.area.name_in(language)} · {row.funding_source}"
        bars.append(Bar(y, label[:28], segments, budget_x))
    return Chart(WIDTH, 20 + len(bars) * (BAR + GAP), bars)
