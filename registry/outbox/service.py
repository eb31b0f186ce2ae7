"""Queue outbound SMS in the caller's transaction; the worker sends after commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.i18n import translate
from registry.outbox.models import OutboxMessage


def render_sms(language: str, msgid: str, **params: object) -> str:
    return translate(language, msgid, **params)


def queue_sms(
    session: Session,
    *,
    to_phone: str,
    language: str,
    msgid: str,
    template: str,
    params: dict[str, object] | None = None,
    related_type: str | None = None,
    related_id: object | None = None,
) -> OutboxMessage:
    """Writes an outbox row; nothing is sent if the surrounding transaction rolls back."""
    message = OutboxMessage(
        to_phone=to_phone,
        body=render_sms(language, msgid, **(params or {})),
        language=language,
        template=template,
        related_type=related_type,
        related_id=None if related_id is None else str(related_id),
    )
    session.add(message)
    session.flush()
    return message


def claim_due(session: Session, worker: str, limit: int = 50) -> list[OutboxMessage]:
    """Claims queued messages that are due; on PostgreSQL rows locked by others are skipped."""
    from sqlalchemy import select

    from registry.db import utcnow
    from registry.outbox.models import OutboxStatus

    now = utcnow()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list(session.scalars(stmt))
    for message in messages:
        message.status = OutboxStatus.SENDING
        message.claimed_by = worker
        message.claimed_at = now
        message.attempts += 1
    session.flush()
    return messages


def mark_sent(session: Session, message: OutboxMessage, provider: str, provider_id: str) -> None:
    from registry.db import utcnow
    from registry.outbox.models import OutboxStatus

    message.status = OutboxStatus.SENT
    message.provider = provider
    message.provider_message_id = provider_id
    message.sent_at = utcnow()
    message.error = None
    session.flush()
