"""A small registry whose every figure is known in advance, counted here by hand.

Households sit in communities of two regions; the expected figures are counted from the
Python objects made here (never by the query under test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.db import utcnow
from registry.grievances.models import Grievance, GrievanceCategory
from registry.households.models import Household, HouseholdStatus
from registry.households.service import HouseholdData, MemberData, OnDuplicate, register_household
from registry.indicators.periods import Period
from registry.origin import Channel, Origin
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.payments.models import Entitlement, PaymentCycle
from registry.programs.models import Enrollment, Program, ProgramBudget
from registry.selfservice.models import UssdSession
from tests.factories import community

ORIGIN = Origin(channel=Channel.FIELD, language="en", actor_name="tests")


@dataclass
class Made:
    period: Period
    households: list[Household] = field(default_factory=list)
    program: Program | None = None
    enrollments: list[Enrollment] = field(default_factory=list)
    grievances: list[Grievance] = field(default_factory=list)
    sessions: list[UssdSession] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)
    entitlements: list[Entitlement] = field(default_factory=list)


# (region index, community index, number of households, members, verified)
LAYOUT = [(0, 0, 6, 3, 4), (0, 1, 2, 2, 0), (0, 5, 7, 4, 7), (1, 0, 3, 1, 1), (1, 3, 9, 2, 5)]


def _members(n: int, seed: int) -> list[MemberData]:
    year = utcnow().year
    ages = [34, 7, 70, 19, 15]
    return [
        MemberData(
            given_name=f"P{seed}x{i}",
            family_name="Tally",
            sex="F" if (seed + i) % 3 else "M",
            birth_year=year - ages[i % len(ages)],
            relation="head" if i == 0 else "child",
            phone=f"+2547120{seed:05d}" if i == 0 and seed % 2 else None,
            national_id=f"ID{seed:06d}" if i == 0 and seed % 4 else None,
            disability=(seed + i) % 5 == 0,
        )
        for i in range(n)
    ]


def build(session: Session) -> Made:
    now = utcnow()
    made = Made(period=Period.of(now))
    seed = 0
    for region_index, community_index, count, members, verified in LAYOUT:
        area = community(session, region_index, community_index)
        for k in range(count):
            seed += 1
            household = register_household(
                session,
                HouseholdData(
                    area_code=area.code, members=_members(members, seed), consent_given=True
                ),
                origin=ORIGIN,
                # Generated look-alikes: saved, with any pairs queued, never refused.
                on_duplicate=OnDuplicate.RECORD,
            )
            if k < verified:
                household.status = HouseholdStatus.ACTIVE
                household.verified_at = household.created_at + timedelta(days=k)
            made.households.append(household)
    program = Program(code="TLY", kind="cash", status="active", names={"en": "Tally"})
    session.add(program)
    session.flush()
    made.program = program
    session.add(
        ProgramBudget(
            program_id=program.id,
            area_id=community(session, 0, 0).parent.parent.id,  # type: ignore[union-attr]
            funding_source="Treasury",
            amount=Decimal("1000.50"),
            year=now.year,
        )
    )
    decisions = ["eligible", "eligible", "not_eligible", "needs_review"]
    statuses = ["enrolled", "potential", "potential", "potential"]
    for i, household in enumerate(made.households):
        status = statuses[i % 4]
        if i % 7 == 0:
            status = "exited"
        enrollment = Enrollment(
            household_id=household.id,
            program_id=program.id,
            decision=decisions[i % 4],
            status=status,
            decided_by="tests",
            status_changed_by="tests",
            status_changed_at=now,
            decided_at=now,
        )
        session.add(enrollment)
        made.enrollments.append(enrollment)
    _payments(session, made)
    categories = {c.code: c for c in session.query(GrievanceCategory).all()}
    top = [c for c in categories.values() if c.parent_id is None][:2]
    channels = ["sms", "ussd", "field", "sms", "walk_in"]
    for i in range(12):
        household = made.households[i * 2]
        received = now - timedelta(hours=2 * i + 1)
        resolved = received + timedelta(hours=i) if i % 3 == 0 else None
        grievance = Grievance(
            number=f"9{i:08d}",
            channel=channels[i % 5],
            category_id=top[i % 2].id,
            text="tally",
            area_id=household.area_id,
            handling_area_id=household.area_id,
            received_at=received,
            due_at=received + timedelta(hours=3),
            resolved_at=resolved,
            status="resolved" if resolved else ("on_hold" if i == 4 else "new"),
        )
        session.add(grievance)
        made.grievances.append(grievance)
    flows = [("register", "completed", "done"), ("status", "dropped", "birth_year")]
    for i in range(11):
        flow, outcome, screen = flows[i % 2] if i < 10 else (None, "dropped", "start")
        row = UssdSession(
            gateway="africastalking",
            session_id=f"tally-{i}",
            flow=flow,
            outcome=outcome,
            last_screen=screen,
            started_at=now,
        )
        session.add(row)
        made.sessions.append(row)
    for status in ["sent", "delivered", "failed", "queued", "sent", "failed"]:
        message = OutboxMessage(
            to_phone="+254700000000", body="x", language="en", template="t", status=status
        )
        session.add(message)
        made.messages.append(message)
    session.flush()
    return made


ENTITLEMENT_STATUSES = ["paid", "failed", "due", "partly_paid", "sent"]


def _payments(session: Session, made: Made) -> None:
    """One approved cycle of the month over the enrolled and exited households."""
    assert made.program is not None
    cycle = PaymentCycle(
        program_id=made.program.id,
        period=str(made.period),
        scope_key="*",
        funding_source="Treasury",
        currency="KES",
        status="approved",
        prepared_by_name="tests",
    )
    session.add(cycle)
    session.flush()
    for i, enrollment in enumerate(e for e in made.enrollments if e.status != "potential"):
        household = next(h for h in made.households if h.id == enrollment.household_id)
        status = ENTITLEMENT_STATUSES[i % len(ENTITLEMENT_STATUSES)]
        amount = Decimal("100.00") + i
        paid = amount if status == "paid" else Decimal("40.00") if status == "partly_paid" else 0
        entitlement = Entitlement(
            cycle_id=cycle.id,
            reference=f"TLY-{i}",
            household_id=household.id,
            household_number=household.number,
            area_id=household.area_id,
            amount=amount,
            currency="KES",
            payee_name="Tally",
            status=status,
            paid_amount=Decimal(paid),
        )
        session.add(entitlement)
        made.entitlements.append(entitlement)
    session.flush()


def areas_above(area: Area) -> list[str]:
    return [code for code in area.path.split("/") if code]


def count_by(made: Made, households: list[Household], level: int) -> dict[str, int]:
    """Households per area code at `level` (0 country, 1 region, 2 district, 3 community)."""
    counts: dict[str, int] = {}
    for household in households:
        code = areas_above(household.area)[level]
        counts[code] = counts.get(code, 0) + 1
    return counts


__all__ = ["Made", "OutboxStatus", "build", "count_by"]
