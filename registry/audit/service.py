"""The one function every write goes through to leave an audit record, chained by hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.db import is_postgresql, utcnow
from registry.origin import Origin

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 7_346_001  # advisory lock key serialising appends to the chain


def canonical_encoding(event: AuditEvent) -> bytes:
    """The exact bytes the hash covers: sorted-key JSON of every recorded field."""
    document = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "channel": event.channel,
        "area_code": event.area_code,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    if (
        event.request_id
    ):  # hashed when present; events written before it existed verify as they were
        document["request_id"] = event.request_id
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_encoding(event)).hexdigest()


def record(
    session: Session,
    origin: Origin,
    action: str,
    *,
    target_type: str | None = None,
    target_id: object | None = None,
    area_code: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends an audit event in the caller's transaction (it commits or rolls back with it)."""
    if is_postgresql(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1,
        at=utcnow(),
        actor_id=origin.actor_id,
        actor_name=origin.actor_name,
        channel=str(origin.channel),
        area_code=area_code or origin.area_code,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details or {},
        prev_hash=head.hash if head else GENESIS_HASH,
        request_id=origin.request_id,
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event
