"""An indicator as a table: the area and its children in rows, its breakdown in columns.

The same table feeds the page, the CSV, the API and the monthly report; `suppress=True` (for
everything that leaves the desk) hides small cells and the cells that would reveal them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from registry.areas.models import Area
from registry.indicators.definitions import BY_CODE, Indicator, Unit
from registry.indicators.read import Board
from registry.privacy.statistics import TOTAL, suppress_table

VALUE, NUMERATOR, DENOMINATOR, CASES, REST = "value", "numerator", "denominator", "cases", "rest"


@dataclass(frozen=True)
class Row:
    area: Area
    cells: tuple[Decimal | None, ...]  # None: suppressed (or no figure)
    is_parent: bool


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    hidden: int  # how many cells suppression hid

    @property
    def parent(self) -> Row:
        return self.rows[0]

    @property
    def children(self) -> tuple[Row, ...]:
        return self.rows[1:]

    def column(self, name: str) -> list[Decimal | None]:
        index = self.columns.index(name)
        return [row.cells[index] for row in self.rows]


def _key(board: Board, area: Area) -> str:
    return TOTAL if area.id == board.area.id else area.code


def _as_int(value: Decimal | None) -> int:
    return int(value or 0)


def build_table(board: Board, code: str, *, suppress: bool) -> Table:
    indicator = BY_CODE[code]
    if indicator.unit == Unit.PERCENT:
        return _ratio_table(board, indicator, suppress)
    if indicator.unit == Unit.MEDIAN:
        return _median_table(board, indicator, suppress)
    dims = board.dimensions(code)
    columns = (*dims, VALUE) if dims else (VALUE,)
    values = {
        (_key(board, area), column): board.get(code, area, "" if column == VALUE else column).value
        for area in board.rows
        for column in columns
    }
    hidden: set[tuple[str, str]] = set()
    if suppress and indicator.unit == Unit.COUNT:
        counts = {
            (row, TOTAL if column == VALUE else column): _as_int(value)
            for (row, column), value in values.items()
        }
        hidden = {(row, VALUE if col == TOTAL else col) for row, col in suppress_table(counts)}
    rows = tuple(
        Row(
            area,
            tuple(
                None if (_key(board, area), c) in hidden else values[(_key(board, area), c)]
                for c in columns
            ),
            area.id == board.area.id,
        )
        for area in board.rows
    )
    return Table(indicator, columns, rows, len(hidden))


def _ratio_table(board: Board, indicator: Indicator, suppress: bool) -> Table:
    """Numerator, denominator and percent; the denominator's remainder is protected too."""
    columns = (NUMERATOR, DENOMINATOR, VALUE)
    figures = {_key(board, a): board.get(indicator.code, a) for a in board.rows}
    hidden_rows: set[str] = set()
    hidden: set[tuple[str, str]] = set()
    if suppress:
        counts: dict[tuple[str, str], int] = {}
        for row, figure in figures.items():
            numerator, denominator = _as_int(figure.numerator), _as_int(figure.denominator)
            counts[(row, NUMERATOR)] = numerator
            counts[(row, REST)] = denominator - numerator
            counts[(row, TOTAL)] = denominator
        hidden = suppress_table(counts)
        hidden_rows = {row for row, _column in hidden}
    rows = []
    for area in board.rows:
        key, figure = _key(board, area), figures[_key(board, area)]
        cells = (
            None if (key, NUMERATOR) in hidden else figure.numerator,
            None if (key, TOTAL) in hidden else figure.denominator,
            None if key in hidden_rows else figure.value,
        )
        rows.append(Row(area, cells, area.id == board.area.id))
    return Table(indicator, columns, tuple(rows), len(hidden))


def _median_table(board: Board, indicator: Indicator, suppress: bool) -> Table:
    """The number of cases and their median; a median of few cases is hidden with its count."""
    figures = {_key(board, a): board.get(indicator.code, a) for a in board.rows}
    hidden: set[tuple[str, str]] = set()
    if suppress:
        hidden = suppress_table(
            {(row, CASES): _as_int(f.denominator) for row, f in figures.items()}
        )
    rows = []
    for area in board.rows:
        key, figure = _key(board, area), figures[_key(board, area)]
        small = (key, CASES) in hidden
        cells = (None, None) if small else (figure.denominator, figure.value)
        rows.append(Row(area, cells, area.id == board.area.id))
    return Table(indicator, (CASES, VALUE), tuple(rows), len(hidden))
