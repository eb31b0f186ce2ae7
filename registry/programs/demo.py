"""Demo data: the example programs in docs/programs/, switched on and applied, with payments."""

from __future__ import annotations

import random
from datetime import date, timedelta

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.households.models import Household
from registry.origin import Origin
from registry.programs.enrollment import apply_rule_set
from registry.programs.loader import load_program, read_program_file
from registry.programs.models import PlannedPayment, Program
from registry.programs.rulesets import create_draft
from registry.settings import ROOT

PROGRAM_FILES = ROOT / "docs" / "programs"
# Deciding enrollment writes a row per household and program: done for demo-sized registries;
# a benchmark-sized one gets the programs only (`kinga programs apply CODE` decides later).
APPLY_UP_TO = 20_000


def _upcoming_payments(session: Session, program: Program, today: date) -> None:
    """Keeps three payment rounds ahead of today, whenever the demo is loaded."""
    ahead = session.scalars(
        select(PlannedPayment).where(
            PlannedPayment.program_id == program.id, PlannedPayment.due_date >= today
        )
    ).all()
    step = timedelta(days=max(365 // max(program.payments_per_year, 1), 7))
    due = max((p.due_date for p in ahead), default=today)
    for _ in range(3 - len(ahead)):
        due = due + step
        session.add(PlannedPayment(program_id=program.id, due_date=due, label="demo"))
    session.flush()


def load_demo(session: Session, rng: random.Random, origin: Origin) -> None:
    today = date.today()
    households = session.scalar(select(func.count(Household.id))) or 0
    for path in sorted(PROGRAM_FILES.glob("*.yaml")):
        program = load_program(session, read_program_file(path), origin=origin, today=today).program
        _upcoming_payments(session, program, today)
        if households <= APPLY_UP_TO:
            apply_rule_set(session, program, origin=origin, today=today)
    child_grant = session.scalar(select(Program).where(Program.code == "CG"))
    if child_grant is not None and child_grant.active_rule_set is not None:
        document = dict(child_grant.active_rule_set.document)
        document["pmt"] = dict(document["pmt"], cutoff=43)
        create_draft(
            session,
            child_grant,
            source=yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
            reason="Proposal: raise the cut-off to 43 after the price rise",
            effective_from=today + timedelta(days=30),
            origin=origin,
        )
