"""Writing a timeline event and its audit record together: every action goes through here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.grievances.models import Grievance, GrievanceEvent
from registry.grievances.states import EventKind
from registry.origin import Origin
from registry.outbox.models import OutboxMessage


def log_event(
    session: Session,
    grievance: Grievance,
    kind: EventKind,
    origin: Origin,
    *,
    public: bool = False,
    text: str | None = None,
    from_status: str | None = None,
    message: OutboxMessage | None = None,
    details: dict[str, Any] | None = None,
) -> GrievanceEvent:
    now = utcnow()
    event = GrievanceEvent(
        kind=kind,
        at=now,
        actor_id=origin.actor_id,
        actor_name=origin.actor_name,
        public=public,
        text=text,
        from_status=from_status,
        to_status=grievance.status,
        outbox_message_id=message.id if message else None,
        details=details or {},
    )
    grievance.events.append(event)
    grievance.updated_at = now
    session.flush()
    record(
        session,
        origin,
        f"grievance.{kind}",
        target_type="grievance",
        target_id=grievance.number,
        area_code=grievance.area.code,
        details={
            k: v
            for k, v in {
                "status": grievance.status,
                "from_status": from_status,
                **(details or {}),
            }.items()
            if v is not None
        },
    )
    return event
