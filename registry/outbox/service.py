"""Queue outbound SMS in the caller's transaction; the worker sends after commit.

Opt-out and the language a number chose by SMS are honoured here, so every part of Kinga that
sends an SMS gets them without knowing about them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.i18n import translate
from registry.messaging.encoding import fit_for_sms, segments
from registry.messaging.models import SmsContact
from registry.outbox.models import OutboxMessage, OutboxStatus

# The one message a number gets after STOP: the confirmation that it worked.
OPT_OUT_CONFIRMATION = "sms.opted_out"
OPTED_OUT = "opted_out"


def render_sms(language: str, msgid: str, **params: object) -> str:
    return fit_for_sms(translate(language, msgid, **params), language)


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
    """Writes an outbox row; nothing is sent if the surrounding transaction rolls back.

    The text is rendered in the language the number chose by SMS (LANGUAGE keyword) when it
    chose one. A number that sent STOP gets a row in state `skipped`, never sent.
    """
    contact = session.get(SmsContact, to_phone)
    if contact is not None and contact.language:
        language = contact.language
    body = render_sms(language, msgid, **(params or {}))
    return queue_text(
        session,
        to_phone=to_phone,
        language=language,
        body=body,
        template=template,
        related_type=related_type,
        related_id=related_id,
        contact=contact,
    )


def queue_text(
    session: Session,
    *,
    to_phone: str,
    language: str,
    body: str,
    template: str,
    related_type: str | None = None,
    related_id: object | None = None,
    contact: SmsContact | None = None,
) -> OutboxMessage:
    """Queues an already rendered text (SMS replies built from several parts)."""
    if contact is None:
        contact = session.get(SmsContact, to_phone)
    message = OutboxMessage(
        to_phone=to_phone,
        body=fit_for_sms(body, language),
        language=language,
        template=template,
        related_type=related_type,
        related_id=None if related_id is None else str(related_id),
    )
    if contact is not None and contact.opted_out and template != OPT_OUT_CONFIRMATION:
        message.status = OutboxStatus.SKIPPED
        message.error = OPTED_OUT
    session.add(message)
    session.flush()
    return message


def claim_due(session: Session, worker: str, limit: int = 50) -> list[OutboxMessage]:
    """Claims queued messages that are due; on PostgreSQL rows locked by others are skipped."""
    now = utcnow()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
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


def recover_stale(session: Session, older_than: timedelta) -> int:
    """Puts back claims of workers that died: `sending` rows claimed longer ago than allowed.

    Such a row was either never handed to the provider (sent once after recovery) or was in
    flight when the worker died; the provider's answer is lost then, and it is sent again.
    """
    cutoff = utcnow() - older_than
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < cutoff)
        .values(status=OutboxStatus.QUEUED, claimed_by=None, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


# The outcomes below are flushed with the worker's next commit, many rows in one statement.


def mark_sent(session: Session, message: OutboxMessage, provider: str, provider_id: str) -> None:
    message.status = OutboxStatus.SENT
    message.provider = provider
    message.provider_message_id = provider_id
    message.sent_at = utcnow()
    message.error = None
    message.claimed_by = None


def mark_retry(session: Session, message: OutboxMessage, reason: str, at: datetime) -> None:
    """A temporary failure: back to the queue, due again at `at`."""
    message.status = OutboxStatus.QUEUED
    message.error = reason[:500]
    message.next_attempt_at = at
    message.claimed_by = None


def mark_failed(session: Session, message: OutboxMessage, reason: str) -> None:
    message.status = OutboxStatus.FAILED
    message.error = reason[:500]
    message.claimed_by = None


def mark_skipped(session: Session, message: OutboxMessage, reason: str) -> None:
    message.status = OutboxStatus.SKIPPED
    message.error = reason
    message.claimed_by = None


def segment_count(message: OutboxMessage) -> int:
    return segments(message.body)[1]
