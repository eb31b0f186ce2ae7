"""Writing a case event and its audit record together: every change goes through here.

The audit record names the case and what happened, never the person or the text written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cases.models import Case, CaseEvent
from registry.db import utcnow
from registry.origin import Origin


def log_case_event(
    session: Session,
    case: Case,
    kind: str,
    origin: Origin,
    *,
    text: str | None = None,
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    now = utcnow()
    event = CaseEvent(
        kind=kind,
        at=now,
        actor_id=origin.actor_id,
        actor_name=origin.actor_name,
        text=text,
        details=details or {},
    )
    case.events.append(event)
    case.updated_at = now
    session.flush()
    record(
        session,
        origin,
        f"case.{kind}",
        target_type="case",
        target_id=case.number,
        area_code=case.area.code,
        details={"status": case.status, "stage": case.stage, **(details or {})},
    )
    return event
