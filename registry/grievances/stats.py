"""Inbox counters and the figures behind the small chart, within the viewer's areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.queries import Viewer, visible
from registry.grievances.states import OPEN_STATUSES, Status

PERIOD = timedelta(days=90)
_OPEN = [str(s) for s in OPEN_STATUSES]


@dataclass(frozen=True)
class Counters:
    open: int
    overdue: int
    mine: int
    escalated: int
    unassigned: int


@dataclass(frozen=True)
class InboxStats:
    open_by_category: list[tuple[str, int]]
    open_by_area: list[tuple[str, int]]
    resolved: int
    resolved_on_time: int
    median_hours_to_resolve: float | None

    @property
    def sla_compliance(self) -> float | None:
        return self.resolved_on_time / self.resolved if self.resolved else None


def resolved_on_time(resolved_at: datetime, due_at: datetime) -> bool:
    """The service level: resolved by the due time (the inbox and the dashboards alike)."""
    return resolved_at <= due_at


def hours_to_resolve(received_at: datetime, resolved_at: datetime) -> float:
    return max((resolved_at - received_at).total_seconds(), 0) / 3600


def counters(session: Session, viewer: Viewer, now: datetime) -> Counters:
    def count(*conditions: object) -> int:
        stmt = visible(select(func.count(Grievance.id)), viewer).where(
            Grievance.status.in_(_OPEN), *conditions
        )
        return int(session.scalar(stmt) or 0)

    return Counters(
        open=count(),
        overdue=count(Grievance.due_at < now, Grievance.status != Status.ON_HOLD),
        mine=count(Grievance.assignee_id == viewer.user_id),
        escalated=count(Grievance.status == Status.ESCALATED),
        unassigned=count(Grievance.assignee_id.is_(None)),
    )


def _by_category(session: Session, viewer: Viewer, language: str) -> list[tuple[str, int]]:
    rows = session.execute(
        visible(select(Grievance.category_id, func.count(Grievance.id)), viewer)
        .where(Grievance.status.in_(_OPEN))
        .group_by(Grievance.category_id)
    ).all()
    categories = {c.id: c for c in session.scalars(select(GrievanceCategory))}
    totals: dict[str, int] = {}
    for category_id, n in rows:
        category = categories[category_id]
        top = category.parent or category  # subcategories count under their category
        name = top.name_in(language)
        totals[name] = totals.get(name, 0) + n
    return sorted(totals.items(), key=lambda item: -item[1])


def _by_area(session: Session, viewer: Viewer, language: str) -> list[tuple[str, int]]:
    """Open grievances per area one level below the viewer's own (regions for the country)."""
    rows = session.execute(
        visible(select(Area.path, func.count(Grievance.id)), viewer)
        .join(Area, Area.id == Grievance.area_id)
        .where(Grievance.status.in_(_OPEN))
        .group_by(Area.path)
    ).all()
    if not rows:
        return []
    top_depth = min((p.count("/") for p in viewer.scope.paths), default=1)
    totals: dict[str, int] = {}
    for path, n in rows:
        parts = path.split("/")[:-1]
        code = parts[min(len(parts), top_depth + 1) - 1]
        totals[code] = totals.get(code, 0) + n
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(totals)))}
    return sorted(
        ((areas[code].name_in(language), n) for code, n in totals.items()),
        key=lambda item: -item[1],
    )


def inbox_stats(session: Session, viewer: Viewer, now: datetime, language: str) -> InboxStats:
    resolved_rows = session.execute(
        visible(
            select(Grievance.received_at, Grievance.resolved_at, Grievance.due_at), viewer
        ).where(Grievance.resolved_at.is_not(None), Grievance.resolved_at >= now - PERIOD)
    ).all()
    hours = [hours_to_resolve(r.received_at, r.resolved_at) for r in resolved_rows]
    return InboxStats(
        open_by_category=_by_category(session, viewer, language),
        open_by_area=_by_area(session, viewer, language),
        resolved=len(resolved_rows),
        resolved_on_time=sum(1 for r in resolved_rows if resolved_on_time(r.resolved_at, r.due_at)),
        median_hours_to_resolve=round(median(hours), 1) if hours else None,
    )
