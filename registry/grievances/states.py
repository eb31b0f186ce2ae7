"""The vocabulary of a grievance: channels, priorities, statuses, events, decisions.

Labels are msgids marked with `N_`; doors translate them in the reader's language.
"""

from __future__ import annotations

from enum import StrEnum

from registry.i18n import N_


class GrievanceChannel(StrEnum):
    USSD = "ussd"
    SMS = "sms"
    VOICE = "voice"
    FIELD = "field"
    WALK_IN = "walk_in"
    PUBLIC_WEB = "public_web"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"


class EventKind(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    STATUS = "status"
    NOTE = "note"
    REPLY = "reply"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    SURVEY = "survey"


class Decision(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    REJECTED = "rejected"
    REFERRED = "referred"


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD, Status.ESCALATED}
)

# Which action may move a grievance from which status. Anything else is refused.
TRANSITIONS: dict[str, frozenset[Status]] = {
    "assign": OPEN_STATUSES,
    "start": frozenset({Status.ASSIGNED, Status.ON_HOLD, Status.ESCALATED}),
    "hold": frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.ESCALATED}),
    "escalate": OPEN_STATUSES,
    "reply": OPEN_STATUSES | {Status.RESOLVED},
    "note": frozenset(Status),
    "resolve": OPEN_STATUSES,
    "close": frozenset({Status.RESOLVED}),
    "reopen": frozenset({Status.RESOLVED, Status.CLOSED}),
}

STATUS_LABELS = {
    Status.NEW: N_("New"),
    Status.ASSIGNED: N_("Assigned"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.ON_HOLD: N_("On hold"),
    Status.ESCALATED: N_("Escalated"),
    Status.RESOLVED: N_("Resolved"),
    Status.CLOSED: N_("Closed"),
}

PRIORITY_LABELS = {
    Priority.LOW: N_("Low"),
    Priority.NORMAL: N_("Normal"),
    Priority.HIGH: N_("High"),
    Priority.URGENT: N_("Urgent"),
}

DECISION_LABELS = {
    Decision.UPHELD: N_("Upheld"),
    Decision.PARTLY_UPHELD: N_("Partly upheld"),
    Decision.REJECTED: N_("Rejected"),
    Decision.REFERRED: N_("Referred"),
}

CHANNEL_LABELS = {
    GrievanceChannel.USSD: N_("USSD"),
    GrievanceChannel.SMS: N_("SMS"),
    GrievanceChannel.FIELD: N_("Field visit"),
    GrievanceChannel.WALK_IN: N_("Walk-in"),
    GrievanceChannel.VOICE: N_("Phone call"),
    GrievanceChannel.PUBLIC_WEB: N_("Public web"),
}

EVENT_LABELS = {
    EventKind.RECEIVED: N_("Received"),
    EventKind.ASSIGNED: N_("Assigned"),
    EventKind.STATUS: N_("Status changed"),
    EventKind.NOTE: N_("Internal note"),
    EventKind.REPLY: N_("Reply sent"),
    EventKind.ESCALATED: N_("Escalated"),
    EventKind.RESOLVED: N_("Resolved"),
    EventKind.CLOSED: N_("Closed"),
    EventKind.REOPENED: N_("Reopened"),
    EventKind.SURVEY: N_("Survey answer"),
}
