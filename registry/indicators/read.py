"""Reading snapshots for a caller: one area and its children, within the caller's areas.

The dashboards, the API and the monthly report read figures only through here; scoping is
applied to the snapshot query itself (`in_scope`), and an area outside the caller's areas is
reported absent, like any other object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.errors import NotFound
from registry.i18n import N_
from registry.indicators.definitions import BY_CODE, Unit
from registry.indicators.models import IndicatorSnapshot, SnapshotRun
from registry.indicators.periods import Period
from registry.programs.models import Program
from registry.scope import Scope, in_scope


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None


EMPTY = Figure(None, None, None)
ZERO = Figure(Decimal(0), Decimal(0), None)
NO_CASES = Figure(None, Decimal(0), Decimal(0))  # a percentage or median of nothing


@dataclass
class Board:
    """The figures of one area and its children for a month and a program ("" for all)."""

    area: Area
    children: list[Area]
    period: Period
    program: str
    refreshed_at: datetime | None
    figures: dict[tuple[str, str, int], Figure] = field(default_factory=dict)

    def get(self, indicator: str, area: Area, dimension: str = "") -> Figure:
        found = self.figures.get((indicator, dimension, area.id))
        if found is not None:
            return found
        if self.refreshed_at is None:
            return EMPTY
        return NO_CASES if BY_CODE[indicator].unit in (Unit.PERCENT, Unit.MEDIAN) else ZERO

    def dimensions(self, indicator: str) -> list[str]:
        return sorted({d for (code, d, _a) in self.figures if code == indicator and d})

    @property
    def rows(self) -> list[Area]:
        return [self.area, *self.children]


def top_area(session: Session, scope: Scope) -> Area:
    """Where a caller's dashboard opens: the country, or the first of their own areas."""
    stmt = in_scope(select(Area), scope, Area.id).order_by(Area.level, Area.code).limit(1)
    area = session.scalar(stmt)
    if area is None:
        raise NotFound(N_("No area is assigned to you."))
    return area


def area_for(session: Session, scope: Scope, code: str | None) -> Area:
    if not code:
        return top_area(session, scope)
    area = session.scalar(in_scope(select(Area), scope, Area.id).where(Area.code == code))
    if area is None:
        raise NotFound(N_("No such area."))
    return area


def program_code(session: Session, code: str | None) -> str:
    if not code:
        return ""
    if session.scalar(select(Program.id).where(Program.code == code)) is None:
        raise NotFound(N_("No such program."))
    return code


def latest_period(session: Session) -> Period | None:
    newest = session.scalar(select(SnapshotRun.period).order_by(SnapshotRun.period.desc()))
    return Period.parse(newest) if newest else None


def refreshed_periods(session: Session) -> list[str]:
    return list(session.scalars(select(SnapshotRun.period).order_by(SnapshotRun.period.desc())))


def read_board(
    session: Session,
    scope: Scope,
    *,
    area: Area,
    period: Period,
    program: str = "",
    indicators: list[str] | None = None,
) -> Board:
    children = list(
        session.scalars(in_scope(select(Area), scope, Area.id).where(Area.parent_id == area.id))
    )
    children.sort(key=lambda a: a.code)
    run = session.get(SnapshotRun, str(period))
    board = Board(area, children, period, program, run.refreshed_at if run else None)
    ids = [a.id for a in board.rows]
    stmt = select(
        IndicatorSnapshot.indicator,
        IndicatorSnapshot.dimension,
        IndicatorSnapshot.area_id,
        IndicatorSnapshot.program,
        IndicatorSnapshot.value,
        IndicatorSnapshot.numerator,
        IndicatorSnapshot.denominator,
    ).where(
        IndicatorSnapshot.period == str(period),
        IndicatorSnapshot.program.in_({program, ""}),
        IndicatorSnapshot.area_id.in_(ids),
    )
    if indicators:
        stmt = stmt.where(IndicatorSnapshot.indicator.in_(indicators))
    for code, dimension, area_id, row_program, value, numerator, denominator in session.execute(
        in_scope(stmt, scope, IndicatorSnapshot.area_id)
    ):
        definition = BY_CODE.get(code)
        if definition is None:
            continue
        wanted = program if definition.per_program else ""
        if row_program != wanted:
            continue
        board.figures[(code, dimension, area_id)] = Figure(value, numerator, denominator)
    return board
