"""Small-cell suppression of tables that leave the desk: no small count, and none derivable."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.indicators.definitions import INDICATORS, Unit
from registry.indicators.read import read_board
from registry.indicators.refresh import refresh_period
from registry.indicators.tables import build_table
from registry.origin import Origin
from registry.privacy.statistics import THRESHOLD, TOTAL, suppress_table
from registry.scope import Scope
from tests.registry.indicators.world import build


def _lines(cells: dict[tuple[str, str], int]) -> list[list[tuple[str, str]]]:
    rows: dict[str, list[tuple[str, str]]] = {}
    columns: dict[str, list[tuple[str, str]]] = {}
    for key in cells:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    return [line for line in (*rows.values(), *columns.values()) if len(line) > 1]


def _table(rng: random.Random, n_rows: int, n_cols: int) -> dict[tuple[str, str], int]:
    cells = {
        (f"r{r}", f"c{c}"): rng.choice([0, 1, 2, 3, 4, 5, 8, 13, 40])
        for r in range(n_rows)
        for c in range(n_cols)
    }
    for r in range(n_rows):
        cells[(f"r{r}", TOTAL)] = sum(cells[(f"r{r}", f"c{c}")] for c in range(n_cols))
    for c in [*(f"c{i}" for i in range(n_cols)), TOTAL]:
        cells[(TOTAL, c)] = sum(cells[(f"r{r}", c)] for r in range(n_rows))
    return cells


def test_a_lone_small_cell_takes_another_with_it() -> None:
    cells = {("a", "x"): 3, ("a", "y"): 20, ("a", TOTAL): 23}
    assert suppress_table(cells) == {("a", "x"), ("a", "y")}


def test_nothing_small_nothing_hidden() -> None:
    cells = {("a", "x"): 0, ("a", "y"): 20, ("a", TOTAL): 20}
    assert suppress_table(cells) == set()


def test_random_tables_hide_every_small_cell_and_leave_none_derivable() -> None:
    rng = random.Random(17)
    for _ in range(300):
        cells = _table(rng, rng.randint(1, 6), rng.randint(1, 5))
        hidden = suppress_table(cells)
        assert all(k in hidden for k, v in cells.items() if 0 < v < THRESHOLD)
        for line in _lines(cells):
            # One hidden cell in a line with its total could be found by subtraction.
            assert sum(1 for k in line if k in hidden) != 1, (cells, hidden, line)


def test_tables_leaving_the_desk_show_no_small_count(db_session: Session) -> None:
    made = build(db_session)
    refresh_period(db_session, made.period, origin=Origin.system("tests"))
    everywhere = Scope.unrestricted()
    areas = [db_session.scalar(select(Area).where(Area.level == AreaLevel.COUNTRY))]
    areas += [h.area.parent.parent for h in made.households[:1]]  # a region
    checked = 0
    for area in areas:
        board = read_board(db_session, everywhere, area=area, period=made.period, program="TLY")
        for indicator in INDICATORS:
            if indicator.unit != Unit.COUNT:
                continue
            table = build_table(board, indicator.code, suppress=True)
            shown = [v for row in table.rows for v in row.cells if v is not None]
            assert not [v for v in shown if 0 < v < THRESHOLD], indicator.code
            raw = build_table(board, indicator.code, suppress=False)
            small = [v for row in raw.rows for v in row.cells if v is not None and 0 < v < 5]
            if small:
                assert table.hidden > len(small) - 1
                checked += 1
    assert checked > 0  # the world has small cells: the test would see a failure
    coverage = build_table(board, "coverage", suppress=True)
    for row in coverage.rows:
        numerator, denominator, value = row.cells
        if value is not None:
            assert numerator is not None and denominator is not None
            assert not 0 < numerator < THRESHOLD
            assert not 0 < denominator - numerator < THRESHOLD
