"""Delivery reports from the gateways: they move a message forward, never backwards."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.outbox.models import OutboxMessage, OutboxStatus

# How far along a message is; a report may only raise it. Delivered and failed are final.
_RANK = {
    OutboxStatus.QUEUED: 0,
    OutboxStatus.SENDING: 1,
    OutboxStatus.SENT: 2,
    OutboxStatus.DELIVERED: 3,
    OutboxStatus.FAILED: 3,
    OutboxStatus.SKIPPED: 3,
}


def record_delivery(
    session: Session,
    provider: str,
    provider_message_id: str,
    status: OutboxStatus,
    reason: str | None = None,
) -> bool:
    """Applies a delivery report; False when the message is unknown or the report is stale."""
    message = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.provider == provider,
            OutboxMessage.provider_message_id == provider_message_id,
        )
    )
    if message is None:
        return False
    if _RANK[status] <= _RANK[OutboxStatus(message.status)]:
        return False
    message.status = status
    if status == OutboxStatus.DELIVERED:
        message.delivered_at = utcnow()
    if status == OutboxStatus.FAILED:
        message.error = (reason or "undelivered")[:500]
    session.flush()
    return True
