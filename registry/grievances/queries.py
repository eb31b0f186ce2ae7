"""Reading grievances, always through the caller's areas and sensitivity clearance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.errors import Forbidden, NotFound
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.states import OPEN_STATUSES, Status
from registry.i18n import N_
from registry.numbers import is_valid, normalize
from registry.origin import Origin
from registry.phones import mask_phone
from registry.scope import Scope, in_scope
from registry.users.roles import Permission, can

T = TypeVar("T", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Viewer:
    """Who looks: their areas, their id (for "assigned to me") and their roles."""

    scope: Scope
    user_id: int | None
    roles: frozenset[str]

    @classmethod
    def of(cls, scope: Scope, origin: Origin) -> Viewer:
        return cls(scope=scope, user_id=origin.actor_id, roles=origin.roles)

    @classmethod
    def system(cls) -> Viewer:
        return cls(scope=Scope.unrestricted(), user_id=None, roles=frozenset({"admin"}))

    @property
    def sees_sensitive(self) -> bool:
        return can(self.roles, Permission.GRIEVANCE_SENSITIVE)

    @property
    def handles(self) -> bool:
        return can(self.roles, Permission.GRIEVANCE_HANDLE)

    @property
    def sees_phones(self) -> bool:
        return can(self.roles, Permission.PII_FULL)


def visible(stmt: Select[T], viewer: Viewer) -> Select[T]:
    """Restricts a statement over `Grievance` to the viewer's areas and clearance."""
    stmt = in_scope(stmt, viewer.scope, Grievance.area_id)
    if not viewer.sees_sensitive:
        sensitive = select(GrievanceCategory.id).where(GrievanceCategory.sensitive.is_(True))
        stmt = stmt.where(Grievance.category_id.not_in(sensitive.scalar_subquery()))
    return stmt


def get_grievance(session: Session, viewer: Viewer, number: str) -> Grievance:
    """The grievance with this number if the viewer may see it; NotFound otherwise."""
    number = normalize(number)
    grievance = None
    if is_valid(number) and len(number) <= 10:
        grievance = session.scalar(
            visible(select(Grievance), viewer).where(Grievance.number == number)
        )
    if grievance is None:
        raise NotFound(N_("No grievance with this number."))
    return grievance


def require_handler(viewer: Viewer) -> None:
    if not viewer.handles:
        raise Forbidden(N_("Your role does not allow handling grievances."))


@dataclass(frozen=True)
class InboxFilter:
    status: str | None = None  # a Status, "open" (default) or "all"
    category_code: str | None = None
    area_code: str | None = None
    overdue: bool = False
    mine: bool = False
    number: str | None = None


def _filtered(
    stmt: Select[T], session: Session, viewer: Viewer, f: InboxFilter, now: datetime
) -> Select[T]:
    stmt = visible(stmt, viewer)
    if f.number:
        stmt = stmt.where(Grievance.number == normalize(f.number))
    status = f.status or "open"
    if status == "open":
        stmt = stmt.where(Grievance.status.in_([str(s) for s in OPEN_STATUSES]))
    elif status != "all":
        stmt = stmt.where(Grievance.status == status)
    if f.category_code:
        codes = select(GrievanceCategory.id).where(
            (GrievanceCategory.code == f.category_code)
            | GrievanceCategory.parent_id.in_(
                select(GrievanceCategory.id).where(GrievanceCategory.code == f.category_code)
            )
        )
        stmt = stmt.where(Grievance.category_id.in_(codes.scalar_subquery()))
    if f.area_code:
        area = session.scalar(select(Area).where(Area.code == f.area_code))
        paths = (area.path,) if area else ()
        stmt = in_scope(stmt, Scope(paths=paths), Grievance.area_id)
    if f.overdue:
        stmt = stmt.where(
            Grievance.due_at < now,
            Grievance.status.in_([str(s) for s in OPEN_STATUSES - {Status.ON_HOLD}]),
        )
    if f.mine:
        stmt = stmt.where(Grievance.assignee_id == viewer.user_id)
    return stmt


def list_grievances(
    session: Session,
    viewer: Viewer,
    f: InboxFilter,
    now: datetime,
    *,
    limit: int = 50,
    offset: int = 0,
) -> Sequence[Grievance]:
    """The inbox: what is due first comes first."""
    stmt = _filtered(select(Grievance), session, viewer, f, now)
    stmt = stmt.order_by(Grievance.due_at, Grievance.id).limit(limit).offset(offset)
    return list(session.scalars(stmt))


def count_grievances(session: Session, viewer: Viewer, f: InboxFilter, now: datetime) -> int:
    from sqlalchemy import func

    stmt = _filtered(select(func.count(Grievance.id)), session, viewer, f, now)
    return int(session.scalar(stmt) or 0)


def display_phone(grievance: Grievance, viewer: Viewer) -> str | None:
    """The complainant's phone, masked unless the viewer's role needs full numbers."""
    phone = grievance.complainant_phone
    if not phone or viewer.sees_phones:
        return phone
    return mask_phone(phone)
