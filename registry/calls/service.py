"""Queueing call backs after missed calls, and claiming them for the worker that places them.

A call is never placed twice: a replayed missed-call notification finds its row (unique key);
a phone with a call back already queued or placing gets no second one; a row a worker claimed
and never finished is given up, not retried (the call may have rung).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.calls.models import CallbackRequest, CallbackStatus
from registry.db import is_postgresql, utcnow
from registry.origin import Origin

STALE_CLAIM = timedelta(minutes=10)
PENDING = (CallbackStatus.QUEUED, CallbackStatus.PLACING)


def request_callback(
    session: Session, *, gateway: str, missed_call_id: str, phone: str, origin: Origin
) -> CallbackRequest:
    """Queues one call back to `phone` (idempotent by the gateway's missed-call id)."""
    key = f"{gateway}:{missed_call_id}"[:100]
    existing = session.scalar(select(CallbackRequest).where(CallbackRequest.missed_call_key == key))
    if existing is not None:
        return existing
    already = session.scalar(
        select(CallbackRequest.id)
        .where(CallbackRequest.phone == phone, CallbackRequest.status.in_(PENDING))
        .limit(1)
    )
    row = CallbackRequest(
        gateway=gateway,
        missed_call_key=key,
        phone=phone,
        status=CallbackStatus.SKIPPED if already else CallbackStatus.QUEUED,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same notification, at the same moment, in another request
        found = session.scalar(
            select(CallbackRequest).where(CallbackRequest.missed_call_key == key)
        )
        assert found is not None
        return found
    record(session, origin, "voice.callback_requested", details={"gateway": gateway})
    return row


def claim_due(session: Session, *, limit: int = 20, now: datetime | None = None) -> list[int]:
    """Marks up to `limit` queued call backs as being placed; returns their ids."""
    now = now or utcnow()
    session.execute(  # a worker that died while placing: give up, never ring twice
        update(CallbackRequest)
        .where(
            CallbackRequest.status == CallbackStatus.PLACING,
            CallbackRequest.claimed_at < now - STALE_CLAIM,
        )
        .values(status=CallbackStatus.FAILED, error="worker stopped while placing the call")
    )
    stmt = (
        select(CallbackRequest.id)
        .where(CallbackRequest.status == CallbackStatus.QUEUED)
        .order_by(CallbackRequest.id)
        .limit(limit)
    )
    if is_postgresql(session):
        stmt = stmt.with_for_update(skip_locked=True)
    claimed = []
    for callback_id in session.scalars(stmt):
        result = session.execute(  # only the worker that changes the row gets it
            update(CallbackRequest)
            .where(
                CallbackRequest.id == callback_id, CallbackRequest.status == CallbackStatus.QUEUED
            )
            .values(status=CallbackStatus.PLACING, claimed_at=now)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(callback_id)
    return claimed


def finish_callback(
    session: Session, callback_id: int, *, provider_call_id: str | None, error: str | None
) -> None:
    row = session.get(CallbackRequest, callback_id)
    if row is None:
        return
    row.status = CallbackStatus.FAILED if error else CallbackStatus.PLACED
    row.placed_at = None if error else utcnow()
    row.provider_call_id = provider_call_id
    row.error = error[:500] if error else None
    session.flush()
