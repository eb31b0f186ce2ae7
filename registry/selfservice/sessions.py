"""Remembered languages and the USSD session funnel (how and where sessions end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.households.models import Person
from registry.kvstore import insert_or_update
from registry.selfservice.models import PhoneLanguage, SessionOutcome, UssdSession

# Gateway statuses (Africa's Talking: Success, Incomplete, Failed) mapped to outcomes; an
# adapter for another gateway maps its own words onto these three.
GATEWAY_OUTCOMES = {
    "success": SessionOutcome.COMPLETED,
    "incomplete": SessionOutcome.DROPPED,
    "failed": SessionOutcome.FAILED,
}


def preferred_language(session: Session, phone: str) -> str | None:
    row = session.get(PhoneLanguage, phone)
    return row.language if row else None


def known_language(session: Session, phone: str, languages: tuple[str, ...]) -> str | None:
    """The language a phone chose before, else the one given at registration; None if neither
    (or if it is not offered any more): the caller is then asked."""
    language = preferred_language(session, phone)
    if language is None:  # registered by a field worker: the language they gave then
        language = session.scalar(select(Person.language).where(Person.phone == phone).limit(1))
    return language if language in languages else None


def remember_language(session: Session, phone: str, language: str) -> None:
    """Keeps the phone's language (one statement: no read first, see `open_session`)."""
    insert = insert_or_update(session)
    if insert is None:
        row = session.get(PhoneLanguage, phone)
        if row is None:
            session.add(PhoneLanguage(phone=phone, language=language))
        else:
            row.language = language
        session.flush()
        return
    stmt = insert(PhoneLanguage).values(phone=phone, language=language, updated_at=utcnow())
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PhoneLanguage.phone],
            set_={"language": stmt.excluded.language, "updated_at": stmt.excluded.updated_at},
        )
    )


def _find(session: Session, gateway: str, session_id: str) -> UssdSession | None:
    return session.scalar(
        select(UssdSession).where(
            UssdSession.gateway == gateway, UssdSession.session_id == session_id
        )
    )


def open_session(
    session: Session,
    *,
    gateway: str,
    session_id: str,
    service_code: str | None,
    network_code: str | None,
    language: str | None,
) -> None:
    """The funnel row of a session, created on its first request (a replay finds it there).

    One INSERT that ignores an existing row, and no read before it: on SQLite a transaction
    that read first and then writes fails at once when another writer committed meanwhile.
    """
    values = {
        "gateway": gateway,
        "session_id": session_id[:100],
        "service_code": (service_code or "")[:40] or None,
        "network_code": (network_code or "")[:20] or None,
        "language": language,
        "steps": 0,
        "outcome": SessionOutcome.OPEN,
        "started_at": utcnow(),
    }
    insert = insert_or_update(session)
    if insert is not None:
        session.execute(
            insert(UssdSession)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["gateway", "session_id"])
        )
        return
    if _find(session, gateway, session_id) is None:
        try:
            with session.begin_nested():
                session.add(UssdSession(**values))
        except IntegrityError:
            pass  # a duplicate first request added it just now


@dataclass(frozen=True)
class SessionProgress:
    flow: str | None
    last_screen: str | None
    steps: int
    language: str | None


def complete_session(
    session: Session, *, gateway: str, session_id: str, progress: SessionProgress
) -> None:
    """The service answered END: the session finished where the service meant it to."""
    row = _find(session, gateway, session_id)
    if row is None:
        return
    _apply(row, progress)
    row.outcome = SessionOutcome.COMPLETED
    row.ended_at = row.ended_at or utcnow()
    session.flush()


def record_session_end(
    session: Session,
    *,
    gateway: str,
    session_id: str,
    gateway_status: str,
    progress: SessionProgress | None,
    duration_ms: int | None = None,
    error: str | None = None,
    service_code: str | None = None,
    network_code: str | None = None,
) -> UssdSession:
    """The gateway's end-of-session report. A session we ended stays completed; one the
    gateway ended while we waited for input is dropped at its last screen."""
    row = _find(session, gateway, session_id)
    if row is None:
        open_session(
            session,
            gateway=gateway,
            session_id=session_id,
            service_code=service_code,
            network_code=network_code,
            language=progress.language if progress else None,
        )
        row = _find(session, gateway, session_id)
        assert row is not None
    if progress is not None and row.outcome != SessionOutcome.COMPLETED:
        _apply(row, progress)
    reported = GATEWAY_OUTCOMES.get(gateway_status.strip().lower(), SessionOutcome.DROPPED)
    if row.outcome != SessionOutcome.COMPLETED or reported == SessionOutcome.FAILED:
        row.outcome = reported
    row.gateway_status = gateway_status[:32]
    row.duration_ms = duration_ms
    row.error = (error or "")[:200] or None
    row.ended_at = utcnow()
    session.flush()
    return row


def _apply(row: UssdSession, progress: SessionProgress) -> None:
    row.flow = progress.flow
    row.last_screen = progress.last_screen
    row.steps = max(row.steps, progress.steps)
    row.language = progress.language or row.language


@dataclass(frozen=True)
class FunnelRow:
    flow: str | None
    last_screen: str | None
    outcome: str
    sessions: int


def session_funnel(
    session: Session, since: datetime, until: datetime | None = None
) -> list[FunnelRow]:
    """Sessions started from `since` (up to `until`) by flow, last screen and outcome: where
    people give up. The dashboards' self-service indicators are counted from these rows."""
    stmt = (
        select(
            UssdSession.flow,
            UssdSession.last_screen,
            UssdSession.outcome,
            func.count(UssdSession.id),
        )
        .where(UssdSession.started_at >= since)
        .group_by(UssdSession.flow, UssdSession.last_screen, UssdSession.outcome)
        .order_by(func.count(UssdSession.id).desc())
    )
    if until is not None:
        stmt = stmt.where(UssdSession.started_at < until)
    return [FunnelRow(*row) for row in session.execute(stmt)]
