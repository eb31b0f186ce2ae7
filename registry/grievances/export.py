"""Export of the inbox as filtered (no complaint text, no phone), through the same export
service as households (`registry.privacy.exports`): a stated reason, the role's cap, the
exporter and time in the file, and an audit event `export.grievances`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from registry.grievances.queries import InboxFilter, Viewer, count_grievances, list_grievances
from registry.i18n import N_
from registry.origin import Origin
from registry.privacy.exports import ExportFile, check_export, write_export

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
TOO_MANY = N_("This export would hold %(count)s grievances; your role may export %(cap)s.")


def check_grievance_export(
    session: Session,
    viewer: Viewer,
    f: InboxFilter,
    now: datetime,
    *,
    origin: Origin,
    reason: str,
    fmt: str,
) -> str:
    """The export rules before anything is read (role, format, reason, the role's cap): a
    request refuses at once what the job would refuse. Returns the cleaned reason."""
    count = count_grievances(session, viewer, f, now)
    return check_export(origin, reason=reason, fmt=fmt, count=count, too_many=TOO_MANY)


def export_grievances(
    session: Session,
    viewer: Viewer,
    f: InboxFilter,
    now: datetime,
    *,
    origin: Origin,
    reason: str,
    fmt: str,
) -> ExportFile:
    count = count_grievances(session, viewer, f, now)
    reason = check_export(origin, reason=reason, fmt=fmt, count=count, too_many=TOO_MANY)
    rows = [
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
            str(g.escalation_level),
            g.decision or "",
            g.resolved_at.isoformat(timespec="minutes") if g.resolved_at else "",
        ]
        for g in list_grievances(session, viewer, f, now, limit=count)
    ]
    return write_export(
        session,
        origin,
        what="grievances",
        reason=reason,
        fmt=fmt,
        columns=COLUMNS,
        rows=rows,
        count=len(rows),
        audit_target=("area", f.area_code),
        details={"status": f.status, "category": f.category_code},
    )
