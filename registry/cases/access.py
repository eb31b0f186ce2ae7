"""Who may read and work on which case, decided in the query layer.

A case is read by its assigned worker, the case supervisors of its area, and the roles its
case type lists as readers, all within their areas. Nobody else learns that it exists: a case
outside these is `NotFound`, as an unknown number is. Every read leaves an audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cases.models import Case, CaseType
from registry.errors import Forbidden, NotFound
from registry.i18n import N_
from registry.numbers import is_valid, normalize
from registry.origin import Origin
from registry.scope import Scope, in_scope
from registry.users.roles import Permission, can

T = TypeVar("T", bound=tuple[Any, ...])
CASE_NUMBER_LENGTH = 9


@dataclass(frozen=True)
class CaseViewer:
    scope: Scope
    user_id: int | None
    roles: frozenset[str]

    @classmethod
    def of(cls, scope: Scope, origin: Origin) -> CaseViewer:
        return cls(scope=scope, user_id=origin.actor_id, roles=origin.roles)

    @classmethod
    def system(cls) -> CaseViewer:
        return cls(scope=Scope.unrestricted(), user_id=None, roles=frozenset({"admin"}))

    @property
    def reads(self) -> bool:
        return can(self.roles, Permission.CASE_READ)

    @property
    def supervises(self) -> bool:
        return can(self.roles, Permission.CASE_SUPERVISE)

    @property
    def handles(self) -> bool:
        return can(self.roles, Permission.CASE_HANDLE)


def reader_type_ids(session: Session, roles: frozenset[str]) -> list[int]:
    """Versions of case types whose file lets one of `roles` read its cases."""
    rows = session.execute(select(CaseType.id, CaseType.definition)).all()
    return [row.id for row in rows if set(row.definition.get("readers") or []) & roles]


def visible(stmt: Select[T], session: Session, viewer: CaseViewer) -> Select[T]:
    """Restricts a statement over `Case` to what the viewer may read."""
    if not viewer.reads:
        return stmt.where(false())
    stmt = in_scope(stmt, viewer.scope, Case.area_id)
    if viewer.supervises:
        return stmt
    allowed = [Case.worker_id == viewer.user_id] if viewer.user_id is not None else []
    type_ids = reader_type_ids(session, viewer.roles)
    if type_ids:
        allowed.append(Case.case_type_id.in_(type_ids))
    return stmt.where(or_(*allowed)) if allowed else stmt.where(false())


def find_case(session: Session, viewer: CaseViewer, number: str) -> Case:
    """The case if the viewer may read it; NotFound otherwise (not audited: see `read_case`)."""
    number = normalize(number or "")
    case = None
    if is_valid(number, CASE_NUMBER_LENGTH):
        case = session.scalar(visible(select(Case), session, viewer).where(Case.number == number))
    if case is None:
        raise NotFound(N_("No case with this number."))
    return case


def read_case(session: Session, viewer: CaseViewer, number: str, *, origin: Origin) -> Case:
    """Opens a case for reading and records who read it."""
    case = find_case(session, viewer, number)
    record(
        session,
        origin,
        "case.read",
        target_type="case",
        target_id=case.number,
        area_code=case.area.code,
        details={"type": case.case_type.code},
    )
    return case


def may_act(viewer: CaseViewer, case: Case) -> bool:
    """The assigned worker and the supervisors work on a case; readers only read and note."""
    if viewer.supervises:
        return True
    return viewer.handles and case.worker_id is not None and case.worker_id == viewer.user_id


def require_actor(viewer: CaseViewer, case: Case) -> None:
    if not may_act(viewer, case):
        raise Forbidden(N_("Only the assigned worker or a supervisor can do this."))


def require_supervisor(viewer: CaseViewer) -> None:
    if not viewer.supervises:
        raise Forbidden(N_("Only a case supervisor can do this."))
