"""Inbound SMS, stored once: a replayed or retried webhook finds its provider id already here."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.messaging.models import InboundMessage

MAX_BODY = 1600


def store_inbound(
    session: Session,
    *,
    provider: str,
    provider_message_id: str,
    from_phone: str,
    to: str | None,
    body: str,
) -> InboundMessage | None:
    """Stores a new inbound message; None when this provider id was stored before."""
    # Insert first, no look-up before: the unique key decides, and the request's transaction
    # takes its write lock at once (SQLite: no read-then-write upgrade to fail later).
    message = InboundMessage(
        provider=provider,
        provider_message_id=provider_message_id[:80],
        from_phone=from_phone[:20],
        to=(to or None) and to[:32],
        body=body[:MAX_BODY],
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # stored before: a replay or the gateway's retry
        return None
    return message


def mark_processed(session: Session, message: InboundMessage, outcome: str) -> None:
    message.processed_at = utcnow()
    message.outcome = outcome[:64]
    session.flush()
