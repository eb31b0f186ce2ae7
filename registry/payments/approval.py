"""Maker and checker: a finance officer approves a cycle someone else prepared, within budget.

A budget row of a program is a pot of money for one area (and everything below it), one funding
source and one year. Approval is refused when the cycle would take any pot it draws on past
what remains in it (or draws on no pot at all), unless a finance officer overrides the budget
with a written reason; the override is audited with the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, Forbidden, InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.cycles import covers_cycle
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementAdjustment,
    PaymentCycle,
)
from registry.programs.models import ProgramBudget
from registry.scope import Scope
from registry.users.roles import Permission, can

ZERO = Decimal("0.00")


@dataclass
class Pot:
    area: Area | None  # None: entitlements that no budget row covers
    budget: Decimal
    committed: Decimal  # by cycles approved before
    this_cycle: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over(self) -> bool:
        return self.this_cycle > self.remaining


def _owed_in(session: Session, cycle_ids_stmt, path: str | None) -> Decimal:  # type: ignore[no-untyped-def]
    """Amounts plus adjustments of the given cycles' entitlements under `path`."""
    amounts = select(func.coalesce(func.sum(Entitlement.amount), 0)).where(
        Entitlement.cycle_id.in_(cycle_ids_stmt)
    )
    adjustments = (
        select(func.coalesce(func.sum(EntitlementAdjustment.amount), 0))
        .join(Entitlement, Entitlement.id == EntitlementAdjustment.entitlement_id)
        .where(Entitlement.cycle_id.in_(cycle_ids_stmt))
    )
    if path is not None:
        inside = select(Area.id).where(Area.path.startswith(path)).scalar_subquery()
        amounts = amounts.where(Entitlement.area_id.in_(inside))
        adjustments = adjustments.where(Entitlement.area_id.in_(inside))
    return Decimal(session.scalar(amounts) or 0) + Decimal(session.scalar(adjustments) or 0)


def budget_pots(session: Session, cycle: PaymentCycle) -> list[Pot]:
    """The budget rows this cycle draws on, with what earlier approved cycles committed."""
    year = int(cycle.period[:4])
    rows = list(
        session.scalars(
            select(ProgramBudget).where(
                ProgramBudget.program_id == cycle.program_id,
                ProgramBudget.funding_source == cycle.funding_source,
                ProgramBudget.year == year,
            )
        )
    )
    this = select(PaymentCycle.id).where(PaymentCycle.id == cycle.id)
    earlier = select(PaymentCycle.id).where(
        PaymentCycle.program_id == cycle.program_id,
        PaymentCycle.funding_source == cycle.funding_source,
        PaymentCycle.period.startswith(f"{year}-"),
        PaymentCycle.status.in_((CycleStatus.APPROVED, CycleStatus.CLOSED)),
        PaymentCycle.id != cycle.id,
    )
    pots: dict[str, Pot] = {}
    for row in rows:
        pot = pots.get(row.area.path)
        if pot is None:
            pot = pots[row.area.path] = Pot(
                area=row.area,
                budget=ZERO,
                committed=_owed_in(session, earlier, row.area.path),
                this_cycle=_owed_in(session, this, row.area.path),
            )
        pot.budget += Decimal(row.amount)
    result = [p for p in pots.values() if p.this_cycle != 0]
    covered = [p.area.path for p in pots.values() if p.area is not None]
    uncovered_stmt = select(func.coalesce(func.sum(Entitlement.amount), 0)).where(
        Entitlement.cycle_id == cycle.id
    )
    for path in covered:
        inside = select(Area.id).where(Area.path.startswith(path)).scalar_subquery()
        uncovered_stmt = uncovered_stmt.where(Entitlement.area_id.not_in(inside))
    uncovered = Decimal(session.scalar(uncovered_stmt) or 0)
    if uncovered:
        result.append(Pot(area=None, budget=ZERO, committed=ZERO, this_cycle=uncovered))
    return sorted(result, key=lambda p: p.area.path if p.area else "")


def approve_cycle(
    session: Session,
    cycle: PaymentCycle,
    *,
    approver_id: int | None,
    roles: frozenset[str],
    scope: Scope,
    origin: Origin,
    override_reason: str | None = None,
) -> list[Pot]:
    """Approves a draft cycle: maker-checker, area and budget checks; returns the pots."""
    if not can(roles, Permission.PAYMENT_APPROVE):
        raise Forbidden(N_("Only a finance officer may approve a payment cycle."))
    if not covers_cycle(session, scope, cycle):
        raise Forbidden(N_("This cycle covers areas outside yours."))
    if cycle.status != CycleStatus.DRAFT:
        raise Conflict(N_("Only a cycle waiting for approval can be approved."))
    if approver_id is None or approver_id == cycle.prepared_by_id:
        raise Forbidden(N_("The person who prepared a cycle cannot approve it."))
    pots = budget_pots(session, cycle)
    over = [p for p in pots if p.over]
    reason = (override_reason or "").strip()
    if over and not reason:
        raise Conflict(
            N_(
                "The cycle exceeds the remaining budget of %(areas)s; a finance officer may "
                "override it with a written reason."
            ),
            areas=", ".join(p.area.code if p.area else "-" for p in over),
        )
    if over and not can(roles, Permission.PAYMENT_OVERRIDE):
        raise Forbidden(N_("Only a finance officer may override a budget."))
    if over and len(reason) < 10:
        raise InvalidInput(
            N_("Write the reason for the override (at least 10 characters)."), field="reason"
        )
    cycle.status = CycleStatus.APPROVED
    cycle.approved_by_id = approver_id
    cycle.approved_by_name = origin.actor_name
    cycle.approved_at = utcnow()
    cycle.override_reason = reason if over else None
    session.flush()
    record(
        session,
        origin,
        "payments.cycle_approved",
        target_type="payment_cycle",
        target_id=cycle.id,
        area_code=cycle.area.code if cycle.area else None,
        details={
            "total": str(cycle.total_amount),
            "households": cycle.households,
            "override_reason": cycle.override_reason,
            "over_budget": [
                {
                    "area": p.area.code if p.area else None,
                    "remaining": str(p.remaining),
                    "cycle": str(p.this_cycle),
                }
                for p in over
            ],
        },
    )
    return pots


def close_cycle(session: Session, cycle: PaymentCycle, *, origin: Origin) -> None:
    """Closes an approved cycle: from now on nothing about it changes."""
    if cycle.status != CycleStatus.APPROVED:
        raise Conflict(N_("Only an approved cycle can be closed."))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = utcnow()
    session.flush()
    record(
        session, origin, "payments.cycle_closed", target_type="payment_cycle", target_id=cycle.id
    )


def add_adjustment(
    session: Session, entitlement: Entitlement, amount: Decimal, reason: str, *, origin: Origin
) -> EntitlementAdjustment:
    """Corrects what one household is owed, leaving the snapshot as it was."""
    if entitlement.cycle.status == CycleStatus.CLOSED:
        raise Conflict(N_("A closed cycle never changes."))
    if amount == 0 or not reason.strip():
        raise InvalidInput(
            N_("An adjustment needs a non-zero amount and a reason."), field="amount"
        )
    if entitlement.amount + amount < 0:
        raise InvalidInput(N_("An adjustment cannot make the amount negative."), field="amount")
    adjustment = EntitlementAdjustment(
        entitlement_id=entitlement.id,
        amount=amount,
        reason=reason.strip(),
        actor=origin.actor_name or "system",
    )
    session.add(adjustment)
    session.flush()
    record(
        session,
        origin,
        "payments.adjustment",
        target_type="entitlement",
        target_id=entitlement.reference,
        details={"amount": str(amount), "reason": reason.strip()},
    )
    return adjustment
