"""A cash program with budgets in two regions and enrolled households, for payment tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from registry.households.models import Household
from registry.programs.models import (
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramBudget,
    ProgramStatus,
)
from tests.factories import community, make_household, region


@dataclass
class CashWorld:
    program: Program
    households: list[Household] = field(default_factory=list)


def cash_world(
    session: Session,
    *,
    per_region: int = 3,
    amount: Decimal = Decimal("1500.00"),
    budget: Decimal = Decimal("1000000.00"),
    code: str = "CSH",
    kind: str = "cash",
    year: int = 2026,
) -> CashWorld:
    program = Program(
        code=code,
        kind=kind,
        status=ProgramStatus.ACTIVE,
        names={"en": "Cash Grant", "fr": "Allocation", "sw": "Ruzuku"},
        currency="KES",
        payments_per_year=12,
    )
    session.add(program)
    session.flush()
    world = CashWorld(program=program)
    for index in (0, 1):
        session.add(
            ProgramBudget(
                program_id=program.id,
                area_id=region(session, index).id,
                funding_source="Treasury",
                amount=budget,
                year=year,
            )
        )
        for n in range(per_region):
            phone = f"+2547{index}{n:07d}"
            household = make_household(session, community(session, index), phone=phone)
            world.households.append(household)
            session.add(
                Enrollment(
                    household_id=household.id,
                    program_id=program.id,
                    status=EnrollmentStatus.ENROLLED,
                    decision="eligible",
                    amount=amount,
                    items=[[{"en": "Maize"}, 25, "kg"]] if kind != "cash" else None,
                    decided_by="tests",
                    status_changed_by="tests",
                )
            )
    session.flush()
    session.refresh(program)
    return world
