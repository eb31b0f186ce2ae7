"""Public statistics: counts by region, with every cell under 5 suppressed.

A row total next to a single suppressed cell would give that cell away, so one more cell of
the row (the smallest other one) is suppressed too (complementary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from registry.areas.models import Area, AreaLevel
from registry.households.models import Household, HouseholdStatus

THRESHOLD = 5
STATUSES = tuple(s.value for s in HouseholdStatus)


@dataclass(frozen=True)
class StatRow:
    area_code: str
    area_name: str
    cells: dict[str, int | None]  # None: suppressed
    total: int | None


def suppress(counts: dict[str, int], threshold: int = THRESHOLD) -> dict[str, int | None]:
    """Hides counts of 1..threshold-1, and one more cell when only one would be hidden."""
    shown: dict[str, int | None] = {
        key: (None if 0 < value < threshold else value) for key, value in counts.items()
    }
    hidden = [k for k, v in shown.items() if v is None]
    if len(hidden) == 1:
        others = sorted((v, k) for k, v in shown.items() if v)
        if others:
            shown[others[0][1]] = None
    return shown


def households_by_region(session: Session, language: str = "en") -> list[StatRow]:
    region = aliased(Area)
    stmt = (
        select(region.id, Household.status, func.count(Household.id))
        .join(Area, Household.area_id == Area.id)
        .join(region, Area.path.startswith(region.path))
        .where(region.level == AreaLevel.REGION)
        .group_by(region.id, Household.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for region_id, status, count in session.execute(stmt):
        counts.setdefault(region_id, dict.fromkeys(STATUSES, 0))[status] = int(count)
    regions = session.scalars(
        select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.code)
    )
    rows = []
    for area in regions:
        raw = counts.get(area.id, dict.fromkeys(STATUSES, 0))
        total = sum(raw.values())
        rows.append(
            StatRow(
                area_code=area.code,
                area_name=area.name_in(language),
                cells=suppress(raw),
                total=None if 0 < total < THRESHOLD else total,
            )
        )
    return rows


Cell = tuple[str, str]  # (row, column); the totals are the row and column named TOTAL
TOTAL = "__total__"


def suppress_table(cells: dict[Cell, int], threshold: int = THRESHOLD) -> set[Cell]:
    """The cells to hide in a table published with its row and column totals.

    Every count of 1..threshold-1 is hidden (totals included). A row or a column (with its
    total) that hides exactly one cell would give it away by subtraction, so one more cell of
    it is hidden too: the smallest non-zero one, a zero only when nothing else is left. This
    repeats until no row or column holds a lone hidden cell (complementary suppression).
    """
    hidden = {key for key, value in cells.items() if 0 < value < threshold}
    rows: dict[str, list[Cell]] = {}
    columns: dict[str, list[Cell]] = {}
    for key in cells:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    lines = [line for line in (*rows.values(), *columns.values()) if len(line) > 1]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            others = sorted((cells[key] == 0, cells[key], key) for key in line if key not in hidden)
            if others:
                hidden.add(others[0][2])
                changed = True
    return hidden
