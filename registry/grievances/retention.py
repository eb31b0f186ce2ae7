"""The retention step for grievances: a complaint closed long ago loses its words, its phone
and its link to a person; number, category, area, dates and outcome stay for the figures.

Listed in `registry.privacy.retention.RETENTION_STEPS`, run by `kinga retention run`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.grievances.models import Grievance
from registry.grievances.states import Status
from registry.origin import Origin

REMOVED = "[removed]"


def erase_closed_grievances(session: Session, policy: Any, now: datetime, origin: Origin) -> int:
    """Clears grievances closed before `now - policy.closed_grievances_after`; returns how many."""
    before = now - policy.closed_grievances_after
    due = session.scalars(
        select(Grievance).where(
            Grievance.status == Status.CLOSED,
            Grievance.closed_at < before,
            or_(
                Grievance.text != REMOVED,
                Grievance.complainant_phone.is_not(None),
                Grievance.person_id.is_not(None),
            ),
        )
    ).all()
    for grievance in due:
        grievance.text = REMOVED
        grievance.complainant_phone = None
        grievance.person_id = None
        for event in grievance.events:
            if event.text:
                event.text = REMOVED
        record(
            session,
            origin,
            "retention.erase",
            target_type="grievance",
            target_id=grievance.number,
            area_code=grievance.area.code,
            details={"rule": "closed_grievance"},
        )
    session.flush()
    return len(due)
