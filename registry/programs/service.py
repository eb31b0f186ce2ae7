"""Programs as other parts of Kinga see them: lookups and the enrolled programs of a household."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.errors import NotFound
from registry.i18n import N_
from registry.programs.enrollment import enrolled_program_codes
from registry.programs.models import Program


def get_program(session: Session, code: str) -> Program:
    program = session.scalar(
        select(Program)
        .where(Program.code == code.strip().upper())
        .options(selectinload(Program.rule_sets), selectinload(Program.areas))
    )
    if program is None:
        raise NotFound(N_("No program with this code."))
    return program


def list_programs(session: Session) -> list[Program]:
    return list(
        session.scalars(
            select(Program).options(selectinload(Program.rule_sets)).order_by(Program.code)
        )
    )


__all__ = ["enrolled_program_codes", "get_program", "list_programs"]
