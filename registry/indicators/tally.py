"""Figures counted per area where the data live, then added up every level to the country.

Counting once at the bottom and adding upwards is what makes a drill-down add up: a region's
figure is the sum of its districts' by construction, not by a second query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area

Key = tuple[str, str, str]  # indicator, program, dimension


@dataclass
class Tally:
    sums: dict[Key, dict[int, list[Decimal]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [Decimal(0), Decimal(0)]))
    )
    values: dict[Key, dict[int, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def add(
        self,
        indicator: str,
        area_id: int,
        numerator: int | Decimal,
        denominator: int | Decimal = 0,
        *,
        program: str = "",
        dimension: str | None = None,
    ) -> None:
        """Adds to the total and, when given, to one value of the indicator's breakdown."""
        for dim in ("", dimension) if dimension is not None else ("",):
            cell = self.sums[(indicator, program, dim)][area_id]
            cell[0] += Decimal(numerator)
            cell[1] += Decimal(denominator)

    def add_value(self, indicator: str, area_id: int, value: float, *, program: str = "") -> None:
        self.values[(indicator, program, "")][area_id].append(value)


@dataclass(frozen=True)
class Figure:
    indicator: str
    program: str
    dimension: str
    area_id: int
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None


def ancestors_of(session: Session) -> dict[int, list[int]]:
    """Each area's id with the ids of every area above it, from its path."""
    areas = session.execute(select(Area.id, Area.code, Area.path)).all()
    by_code = {code: area_id for area_id, code, _path in areas}
    return {
        area_id: [by_code[code] for code in path.split("/") if code in by_code]
        for area_id, _code, path in areas
    }


def roll_up(tally: Tally, ancestors: dict[int, list[int]], percent: set[str]) -> list[Figure]:
    figures: list[Figure] = []
    for (indicator, program, dimension), by_area in tally.sums.items():
        totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for area_id, (numerator, denominator) in by_area.items():
            for upper in ancestors.get(area_id, [area_id]):
                totals[upper][0] += numerator
                totals[upper][1] += denominator
        for area_id, (numerator, denominator) in totals.items():
            if indicator in percent:
                value = (
                    (numerator * 100 / denominator).quantize(Decimal("0.1"))
                    if denominator
                    else None
                )
                figures.append(
                    Figure(indicator, program, dimension, area_id, numerator, denominator, value)
                )
            else:
                figures.append(
                    Figure(indicator, program, dimension, area_id, numerator, None, numerator)
                )
    for (indicator, program, dimension), by_area in tally.values.items():
        lists: dict[int, list[float]] = defaultdict(list)
        for area_id, values in by_area.items():
            for upper in ancestors.get(area_id, [area_id]):
                lists[upper].extend(values)
        for area_id, values in lists.items():
            middle = Decimal(str(round(median(values), 1))) if values else None
            figures.append(
                Figure(indicator, program, dimension, area_id, None, Decimal(len(values)), middle)
            )
    return figures
