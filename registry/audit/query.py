"""Reading the audit log for auditors: filters, newest first, paged by sequence number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # a prefix: "login" matches login.success and login.failed
    actor: str | None = None
    channel: str | None = None
    area_code: str | None = None
    target: str | None = None
    since: date | None = None
    until: date | None = None
    before_seq: int | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def search_events(
    session: Session, filters: AuditFilter, limit: int = PAGE_SIZE
) -> list[AuditEvent]:
    stmt = select(AuditEvent)
    if filters.action:
        stmt = stmt.where(AuditEvent.action.startswith(filters.action, autoescape=True))
    if filters.actor:
        stmt = stmt.where(AuditEvent.actor_name == filters.actor)
    if filters.channel:
        stmt = stmt.where(AuditEvent.channel == filters.channel)
    if filters.area_code:
        stmt = stmt.where(AuditEvent.area_code == filters.area_code)
    if filters.target:
        stmt = stmt.where(AuditEvent.target_id == filters.target)
    if filters.since:
        stmt = stmt.where(AuditEvent.at >= _day_start(filters.since))
    if filters.until:
        stmt = stmt.where(AuditEvent.at < _day_start(filters.until + timedelta(days=1)))
    if filters.before_seq:
        stmt = stmt.where(AuditEvent.seq < filters.before_seq)
    return list(session.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(limit)))


def known_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
