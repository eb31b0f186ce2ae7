"""`kinga grievances escalate`: moves every grievance past its due time one level up.

Safe to run every minute: escalating gives the grievance a new due time, so a second run
finds nothing more to do until that one passes too; rows another run holds are skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.errors import Conflict
from registry.grievances.actions import escalate
from registry.grievances.models import Grievance
from registry.grievances.states import OPEN_STATUSES, Status
from registry.i18n import N_
from registry.origin import Origin
from registry.users.models import User

# Other desks whose overdue work rides on the same sweep (case visits and referrals):
# dotted paths of `(session, now) -> int` functions returning how many items they handled.
OVERDUE_SWEEPS: tuple[str, ...] = ("registry.cases.reminders.sweep",)

# On hold means waiting for someone else: its SLA clock is stopped.
_CLOCK_RUNNING = [str(s) for s in OPEN_STATUSES - {Status.ON_HOLD}]


def escalate_overdue(
    session: Session, *, now: datetime | None = None, limit: int = 200
) -> list[str]:
    """Escalates the overdue grievances that have a higher level; returns their numbers."""
    now = now or utcnow()
    origin = Origin.system("grievances.escalate")
    overdue = session.scalars(
        select(Grievance)
        .where(Grievance.status.in_(_CLOCK_RUNNING), Grievance.due_at < now)
        .order_by(Grievance.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Grievance)
    )
    escalated: list[str] = []
    staffing: dict[tuple[int, bool], list[User]] = {}
    for grievance in list(overdue):
        try:
            escalate(
                session, grievance, N_("Past its due time"), origin=origin, now=now, cache=staffing
            )
        except Conflict:
            continue  # already at the top: it stays overdue and visible as late
        escalated.append(grievance.number)
    return escalated


def run_overdue_sweeps(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Runs the other desks' overdue sweeps in the caller's transaction."""
    done: dict[str, int] = {}
    for dotted in OVERDUE_SWEEPS:
        module_name, _, name = dotted.rpartition(".")
        sweep: Callable[..., int] = getattr(importlib.import_module(module_name), name)
        done[dotted] = sweep(session, now or utcnow())
    return done
