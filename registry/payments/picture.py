"""The money picture: budget, committed, paid, failed and uncollected, by area and funder.

Committed is what approved cycles owe (amounts plus adjustments); paid is what the provider
confirmed (reconciliation or its notification; for goods, what was handed over); failed is what
the provider reported failed; uncollected is the rest of what was committed. So for every row
committed = paid + failed + uncollected, to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementAdjustment,
    EntitlementStatus,
    PaymentCycle,
)
from registry.programs.models import Program, ProgramBudget
from registry.scope import Scope, in_scope

ZERO = Decimal("0.00")
SETTLED = (EntitlementStatus.PAID, EntitlementStatus.PARTLY_PAID, EntitlementStatus.COLLECTED)


@dataclass
class MoneyRow:
    area: Area
    funding_source: str
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    failed: Decimal = ZERO
    households: int = 0

    @property
    def uncollected(self) -> Decimal:
        return self.committed - self.paid - self.failed


@dataclass
class MoneyPicture:
    program: Program
    year: int
    period: str | None
    parent: Area | None
    rows: list[MoneyRow] = field(default_factory=list)

    def total(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.rows), ZERO)


def _group_area(area: Area, level: int, by_code: dict[str, Area]) -> Area:
    if area.level <= level:
        return area
    return by_code[area.path.split("/")[level]]


def money_picture(
    session: Session,
    program: Program,
    *,
    year: int,
    scope: Scope,
    period: str | None = None,
    parent: Area | None = None,
    level: int | None = None,
) -> MoneyPicture:
    """Rows per area one level below `parent` (regions when None) and funding source; with
    `level`, per area of that level (or the area itself when it lies higher up)."""
    if level is None:
        level = parent.level + 1 if parent else 1
    areas = {a.id: a for a in session.scalars(select(Area))}
    by_code = {a.code: a for a in areas.values()}
    picture = MoneyPicture(program=program, year=year, period=period, parent=parent)
    rows: dict[tuple[int, str], MoneyRow] = {}

    def row_for(area: Area, source: str) -> MoneyRow | None:
        if parent is not None and not area.path.startswith(parent.path):
            return None
        if not scope.covers(area) and not scope.everywhere:
            return None
        group = _group_area(area, level, by_code)
        key = (group.id, source)
        if key not in rows:
            rows[key] = MoneyRow(area=group, funding_source=source)
        return rows[key]

    cycles = select(PaymentCycle.id).where(
        PaymentCycle.program_id == program.id,
        PaymentCycle.status.in_((CycleStatus.APPROVED, CycleStatus.CLOSED)),
    )
    cycles = (
        cycles.where(PaymentCycle.period == period)
        if period
        else cycles.where(PaymentCycle.period.startswith(f"{year}-"))
    )
    owed = select(
        Entitlement.area_id,
        PaymentCycle.funding_source,
        func.count(Entitlement.id),
        func.sum(Entitlement.amount),
        func.sum(case((Entitlement.status.in_(SETTLED), Entitlement.paid_amount), else_=0)),
        func.sum(
            case((Entitlement.status == EntitlementStatus.FAILED, Entitlement.amount), else_=0)
        ),
    ).join(PaymentCycle, PaymentCycle.id == Entitlement.cycle_id)
    owed = in_scope(owed, scope, Entitlement.area_id).where(Entitlement.cycle_id.in_(cycles))
    for area_id, source, count, amount, paid, failed in session.execute(
        owed.group_by(Entitlement.area_id, PaymentCycle.funding_source)
    ):
        row = row_for(areas[area_id], source)
        if row is not None:
            row.households += int(count)
            row.committed += Decimal(amount or 0)
            row.paid += Decimal(paid or 0)
            row.failed += Decimal(failed or 0)
    adjusted = (
        select(
            Entitlement.area_id,
            PaymentCycle.funding_source,
            func.sum(EntitlementAdjustment.amount),
            func.sum(
                case(
                    (Entitlement.status == EntitlementStatus.FAILED, EntitlementAdjustment.amount),
                    else_=0,
                )
            ),
        )
        .join(Entitlement, Entitlement.id == EntitlementAdjustment.entitlement_id)
        .join(PaymentCycle, PaymentCycle.id == Entitlement.cycle_id)
    )
    adjusted = in_scope(adjusted, scope, Entitlement.area_id).where(
        Entitlement.cycle_id.in_(cycles)
    )
    for area_id, source, amount, failed in session.execute(
        adjusted.group_by(Entitlement.area_id, PaymentCycle.funding_source)
    ):
        row = row_for(areas[area_id], source)
        if row is not None:
            row.committed += Decimal(amount or 0)
            row.failed += Decimal(failed or 0)
    for budget in session.scalars(
        select(ProgramBudget).where(
            ProgramBudget.program_id == program.id, ProgramBudget.year == year
        )
    ):
        row = row_for(areas[budget.area_id], budget.funding_source)
        if row is not None:
            row.budget += Decimal(budget.amount)
    picture.rows = sorted(rows.values(), key=lambda r: (r.area.path, r.funding_source))
    return picture


CSV_COLUMNS = (
    "program",
    "year",
    "period",
    "area",
    "area_name",
    "funding_source",
    "currency",
    "households",
    "budget",
    "committed",
    "paid",
    "failed",
    "uncollected",
)


def picture_rows(picture: MoneyPicture) -> list[list[str]]:
    out = []
    for row in picture.rows:
        out.append(
            [
                picture.program.code,
                str(picture.year),
                picture.period or "",
                row.area.code,
                row.area.name,
                row.funding_source,
                picture.program.currency,
                str(row.households),
                f"{row.budget:.2f}",
                f"{row.committed:.2f}",
                f"{row.paid:.2f}",
                f"{row.failed:.2f}",
                f"{row.uncollected:.2f}",
            ]
        )
    return out
