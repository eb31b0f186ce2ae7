"""Opening a cycle and generating its entitlements: one immutable snapshot per household.

Generation works in chunks of enrollments and skips households that already have an
entitlement in the cycle, so a job retried after a crash never writes anything twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from registry.areas.models import Area
from registry.audit.service import record
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.models import Household, Person, Relation
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.models import CycleStatus, Entitlement, EntitlementStatus, PaymentCycle
from registry.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    RuleSet,
)
from registry.scope import Scope

Progress = Callable[[int, int], None]
CHUNK = 5000
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _no_progress(_done: int, _total: int) -> None:
    pass


def parse_period(text: str) -> str:
    period = (text or "").strip()
    if not PERIOD.match(period):
        raise InvalidInput(N_("The period must be written YYYY-MM, e.g. 2026-03."), field="period")
    return period


def reference_for(cycle_id: int, household_number: str) -> str:
    return f"C{cycle_id}-{household_number}"


def open_cycle(
    session: Session,
    program: Program,
    period: str,
    *,
    area: Area | None,
    funding_source: str | None,
    origin: Origin,
) -> PaymentCycle:
    """A new cycle waiting for its entitlements; one per program, period and area."""
    period = parse_period(period)
    if program.status != ProgramStatus.ACTIVE:
        raise Conflict(N_("Only an active program can open a payment cycle."))
    key = area.code if area else "*"
    existing = session.scalar(
        select(PaymentCycle.id).where(
            PaymentCycle.program_id == program.id,
            PaymentCycle.period == period,
            PaymentCycle.scope_key == key,
        )
    )
    if existing is not None:
        raise Conflict(
            N_("This program already has cycle %(id)s for this period and area."), id=existing
        )
    sources = [b.funding_source for b in program.budgets if b.year == int(period[:4])]
    source = (funding_source or "").strip() or (sources[0] if sources else "")
    if not source:
        raise InvalidInput(
            N_("Name the funding source: the program has no budget for this year."),
            field="funding_source",
        )
    cycle = PaymentCycle(
        program_id=program.id,
        period=period,
        area_id=area.id if area else None,
        scope_key=key,
        funding_source=source[:120],
        currency=program.currency,
        status=CycleStatus.GENERATING,
        prepared_by_id=origin.actor_id,
        prepared_by_name=origin.actor_name or "system",
    )
    session.add(cycle)
    session.flush()
    record(
        session,
        origin,
        "payments.cycle_open",
        target_type="payment_cycle",
        target_id=cycle.id,
        area_code=area.code if area else None,
        details={"program": program.code, "period": period, "funding_source": cycle.funding_source},
    )
    return cycle


def _enrolled(cycle: PaymentCycle):  # type: ignore[no-untyped-def]
    head = aliased(Person)
    stmt = (
        select(
            Enrollment.id,
            Enrollment.household_id,
            Enrollment.rule_set_id,
            RuleSet.version,
            Enrollment.amount,
            Enrollment.items,
            Household.number,
            Household.area_id,
            head.id,
            head.given_name,
            head.family_name,
            head.phone,
        )
        .join(Household, Household.id == Enrollment.household_id)
        .outerjoin(head, (head.household_id == Household.id) & (head.relation == Relation.HEAD))
        .outerjoin(RuleSet, RuleSet.id == Enrollment.rule_set_id)
        .where(
            Enrollment.program_id == cycle.program_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
        )
    )
    if cycle.area is not None:
        inside = select(Area.id).where(Area.path.startswith(cycle.area.path))
        stmt = stmt.where(Household.area_id.in_(inside.scalar_subquery()))
    return stmt


def _fallback_payees(session: Session, household_ids: list[int]) -> dict[int, tuple]:  # type: ignore[type-arg]
    """For households whose head has no phone: the first member who has one."""
    found: dict[int, tuple] = {}  # type: ignore[type-arg]
    if not household_ids:
        return found
    rows = session.execute(
        select(Person.household_id, Person.id, Person.given_name, Person.family_name, Person.phone)
        .where(Person.household_id.in_(household_ids), Person.phone.is_not(None))
        .order_by(Person.household_id, Person.position)
    )
    for household_id, *payee in rows:
        found.setdefault(household_id, tuple(payee))
    return found


def generate_entitlements(
    session: Session, cycle: PaymentCycle, *, origin: Origin, progress: Progress = _no_progress
) -> int:
    """Writes the cycle's entitlements (resumable); returns how many households it holds."""
    if cycle.status != CycleStatus.GENERATING:
        raise Conflict(N_("This cycle's entitlements are already generated."))
    base = _enrolled(cycle)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    in_kind = cycle.program.kind != "cash"
    last_id, done = 0, 0
    while True:
        rows = session.execute(
            base.where(Enrollment.id > last_id).order_by(Enrollment.id).limit(CHUNK)
        ).all()
        if not rows:
            break
        last_id = rows[-1][0]
        household_ids = [r[1] for r in rows]
        have = set(
            session.scalars(
                select(Entitlement.household_id).where(
                    Entitlement.cycle_id == cycle.id, Entitlement.household_id.in_(household_ids)
                )
            )
        )
        fallback = _fallback_payees(session, [r[1] for r in rows if not r[11]])
        values = []
        for (
            _eid,
            household_id,
            rule_set_id,
            version,
            amount,
            items,
            number,
            area_id,
            person_id,
            given,
            family,
            phone,
        ) in rows:
            if household_id in have:
                continue
            if not phone and household_id in fallback:
                person_id, given, family, phone = fallback[household_id]
            values.append(
                {
                    "cycle_id": cycle.id,
                    "reference": reference_for(cycle.id, number),
                    "household_id": household_id,
                    "household_number": number,
                    "area_id": area_id,
                    "amount": Decimal(amount or 0),
                    "currency": cycle.currency,
                    "items": items if in_kind else None,
                    "rule_set_id": rule_set_id,
                    "rule_version": version,
                    "source": "rules",
                    "payee_person_id": person_id,
                    "payee_name": f"{given or ''} {family or ''}".strip() or number,
                    "payee_phone": phone,
                    "status": EntitlementStatus.DUE,
                    "paid_amount": Decimal(0),
                }
            )
        if values:
            session.execute(insert(Entitlement), values)
        done += len(rows)
        session.flush()
        progress(done, total)
    finish_generation(session, cycle, origin=origin)
    return cycle.households


def finish_generation(session: Session, cycle: PaymentCycle, *, origin: Origin) -> None:
    count, amount = session.execute(
        select(func.count(Entitlement.id), func.coalesce(func.sum(Entitlement.amount), 0)).where(
            Entitlement.cycle_id == cycle.id
        )
    ).one()
    cycle.households = int(count)
    cycle.total_amount = Decimal(amount).quantize(Decimal("0.01"))
    cycle.status = CycleStatus.DRAFT
    session.flush()
    record(
        session,
        origin,
        "payments.cycle_generated",
        target_type="payment_cycle",
        target_id=cycle.id,
        area_code=cycle.area.code if cycle.area else None,
        details={"households": cycle.households, "total": str(cycle.total_amount)},
    )


def covers_cycle(session: Session, scope: Scope, cycle: PaymentCycle) -> bool:
    """True when the scope holds the cycle's whole area (the whole country for a national one)."""
    if scope.everywhere:
        return True
    if cycle.area is not None:
        return scope.covers(cycle.area)
    roots = session.scalars(select(Area).where(Area.parent_id.is_(None)))
    return any(scope.covers(root) for root in roots)


def visible_cycles_stmt(scope: Scope):  # type: ignore[no-untyped-def]
    """Cycles of the caller's areas, and national cycles (their entitlements stay scoped)."""
    stmt = select(PaymentCycle)
    if scope.everywhere:
        return stmt
    if not scope.paths:
        return stmt.where(PaymentCycle.id.is_(None))
    allowed = select(Area.id).where(or_(*(Area.path.startswith(p) for p in scope.paths)))
    return stmt.where(
        or_(PaymentCycle.area_id.is_(None), PaymentCycle.area_id.in_(allowed.scalar_subquery()))
    )


def get_cycle(session: Session, cycle_id: int, scope: Scope) -> PaymentCycle:
    cycle = session.scalar(visible_cycles_stmt(scope).where(PaymentCycle.id == cycle_id))
    if cycle is None:
        raise NotFound(N_("No payment cycle with this number."))
    return cycle


def list_cycles(session: Session, scope: Scope, limit: int = 200) -> list[PaymentCycle]:
    stmt = visible_cycles_stmt(scope).order_by(PaymentCycle.id.desc()).limit(limit)
    return list(session.scalars(stmt))
