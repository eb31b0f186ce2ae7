"""Programs as other parts of Kinga see them: lookups and the enrolled programs of a household."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.audit.service import record
from registry.errors import InvalidInput, NotFound
from registry.i18n import N_
from registry.origin import Origin
from registry.programs.enrollment import enrolled_program_codes
from registry.programs.models import Program, ProgramStatus


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


def set_program_status(session: Session, program: Program, status: str, *, origin: Origin) -> None:
    """Opens, pauses or closes a program; only an active program enrolls households."""
    if status not in ProgramStatus.__members__.values():
        raise InvalidInput(N_("“status” must be draft, active, paused or closed."), field="status")
    previous = program.status
    program.status = status
    session.flush()
    record(
        session,
        origin,
        "program.status",
        target_type="program",
        target_id=program.code,
        details={"from": previous, "to": status},
    )


__all__ = ["enrolled_program_codes", "get_program", "list_programs", "set_program_status"]
