"""CSV export of the inbox as filtered: no complaint text and no phone, audited."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.grievances.queries import InboxFilter, Viewer, list_grievances
from registry.origin import Origin

MAX_ROWS = 20_000
COLUMNS = (
    "number",
    "received_at",
    "due_at",
    "status",
    "priority",
    "category",
    "area",
    "channel",
    "assignee",
    "escalation_level",
    "decision",
    "resolved_at",
)


def export_csv(
    session: Session, viewer: Viewer, f: InboxFilter, now: datetime, *, origin: Origin
) -> str:
    rows = list_grievances(session, viewer, f, now, limit=MAX_ROWS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for g in rows:
        writer.writerow(
            [
                g.number,
                g.received_at.isoformat(timespec="minutes"),
                g.due_at.isoformat(timespec="minutes"),
                g.status,
                g.priority,
                g.category.code,
                g.area.code,
                g.channel,
                g.assignee.username if g.assignee else "",
                g.escalation_level,
                g.decision or "",
                g.resolved_at.isoformat(timespec="minutes") if g.resolved_at else "",
            ]
        )
    record(
        session,
        origin,
        "grievance.export",
        target_type="grievance",
        details={"rows": len(rows), "status": f.status, "area": f.area_code},
    )
    return out.getvalue()
