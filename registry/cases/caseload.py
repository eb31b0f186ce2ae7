"""Caseload views, always through the query layer: a worker's list sorted by what is due; a
supervisor's team view with overdue counts, risk levels and unassigned cases; case figures
without names for managers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.cases.access import CaseViewer, visible
from registry.cases.models import Case, CaseType
from registry.cases.schedule import overdue_items
from registry.privacy.statistics import suppress
from registry.scope import Scope, in_scope
from registry.users.models import User

LIST_LIMIT = 200


def _by_due(stmt):  # type: ignore[no-untyped-def]
    # Nothing due sorts last; equal dates by the oldest case first.
    return stmt.order_by(Case.next_due_on.is_(None), Case.next_due_on, Case.id)


def my_cases(session: Session, viewer: CaseViewer) -> list[Case]:
    """The open cases assigned to the viewer, what is due first on top."""
    stmt = visible(select(Case), session, viewer).where(
        Case.status == "open", Case.worker_id == viewer.user_id
    )
    return list(session.scalars(_by_due(stmt).limit(LIST_LIMIT)))


def readable_cases(
    session: Session, viewer: CaseViewer, *, status: str = "open", type_code: str | None = None
) -> list[Case]:
    """Every case the viewer may read (supervisors: their areas; readers: their types)."""
    stmt = visible(select(Case), session, viewer)
    if status in ("open", "closed"):
        stmt = stmt.where(Case.status == status)
    if type_code:
        stmt = stmt.where(
            Case.case_type_id.in_(select(CaseType.id).where(CaseType.code == type_code))
        )
    return list(session.scalars(_by_due(stmt).limit(LIST_LIMIT)))


@dataclass
class WorkerLoad:
    worker: User
    open: int = 0
    overdue: int = 0
    high_risk: int = 0


@dataclass
class TeamView:
    overdue: list[Case] = field(default_factory=list)  # late work first
    unassigned: list[Case] = field(default_factory=list)
    workers: list[WorkerLoad] = field(default_factory=list)
    risks: Counter[str] = field(default_factory=Counter)


def team_view(session: Session, viewer: CaseViewer, today: date) -> TeamView:
    """The supervisor's view of the open cases of their areas."""
    cases = list(
        session.scalars(
            _by_due(visible(select(Case), session, viewer).where(Case.status == "open"))
        )
    )
    view = TeamView()
    loads: dict[int, WorkerLoad] = {}
    for case in cases:
        late = overdue_items(case, today)
        if late:
            view.overdue.append(case)
        if case.worker is None:
            view.unassigned.append(case)
        else:
            load = loads.setdefault(case.worker.id, WorkerLoad(case.worker))
            load.open += 1
            load.overdue += 1 if late else 0
            load.high_risk += 1 if case.risk == "high" else 0
        view.risks[case.risk or "unknown"] += 1
    view.workers = sorted(loads.values(), key=lambda w: (-w.overdue, w.worker.full_name))
    view.overdue = view.overdue[:LIST_LIMIT]
    view.unassigned = view.unassigned[:LIST_LIMIT]
    return view


def case_figures(session: Session, scope: Scope) -> dict[str, dict[str, int | None]]:
    """Open and closed cases per case type in the scope: counts only, small ones suppressed."""
    stmt = in_scope(
        select(CaseType.code, Case.status, func.count(Case.id))
        .join(CaseType, CaseType.id == Case.case_type_id)
        .group_by(CaseType.code, Case.status),
        scope,
        Case.area_id,
    )
    figures: dict[str, dict[str, int]] = {}
    for code, status, count in session.execute(stmt):
        figures.setdefault(code, {})[status] = int(count)
    return {code: suppress(counts) for code, counts in figures.items()}
