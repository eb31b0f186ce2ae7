"""Inbound SMS, stored once: a replayed or retried webhook finds its provider id already here."""

from __future__ import annotations

from sqlalchemy import select
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
    key = (provider, provider_message_id[:80])
    exists = select(InboundMessage.id).where(
        InboundMessage.provider == key[0], InboundMessage.provider_message_id == key[1]
    )
    if session.scalar(exists) is not None:
        return None
    message = InboundMessage(
        provider=provider,
        provider_message_id=key[1],
        from_phone=from_phone[:20],
        to=(to or None) and to[:32],
        body=body[:MAX_BODY],
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # the same webhook arriving twice at once: the other one won
        return None
    return message


def mark_processed(session: Session, message: InboundMessage, outcome: str) -> None:
    message.processed_at = utcnow()
    message.outcome = outcome[:64]
    session.flush()
