"""What an officer does to a grievance. Each action checks the state machine, writes a
timeline event with its audit record, and queues an SMS when the complainant is told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.grievances import sms
from registry.grievances.models import Grievance
from registry.grievances.offices import officers_covering, staffed_area
from registry.grievances.queries import Viewer, get_grievance, require_handler
from registry.grievances.service import due_from
from registry.grievances.states import (
    DECISION_LABELS,
    STATUS_LABELS,
    TRANSITIONS,
    Decision,
    EventKind,
    Status,
)
from registry.grievances.timeline import log_event
from registry.i18n import N_, translate
from registry.origin import Origin
from registry.users.models import User

MAX_NOTE = 2000
# After an escalation the next level gets this share of the category's SLA, at least a day.
ESCALATION_SLA_SHARE = 0.5
MIN_ESCALATION_HOURS = 24


def check_transition(grievance: Grievance, action: str) -> None:
    if grievance.status not in TRANSITIONS[action]:
        raise Conflict(
            N_("This cannot be done while the grievance is %(status)s."),
            status=STATUS_LABELS[Status(grievance.status)],
        )


def _open(session: Session, viewer: Viewer, number: str, action: str) -> Grievance:
    require_handler(viewer)
    grievance = get_grievance(session, viewer, number)
    check_transition(grievance, action)
    return grievance


def _text(value: str | None, field: str, *, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise InvalidInput(N_("Please write something."), field=field)
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            N_("Please keep the text under %(n)s characters."), field=field, n=MAX_NOTE
        )
    return text


def _set_status(grievance: Grievance, status: Status, now: datetime) -> str:
    """Moves to `status`; leaving "on hold" gives back the SLA time spent waiting."""
    previous = grievance.status
    if previous == Status.ON_HOLD and status != Status.ON_HOLD and grievance.hold_started_at:
        grievance.due_at += now - grievance.hold_started_at
        grievance.hold_started_at = None
    if status == Status.ON_HOLD:
        grievance.hold_started_at = now
    grievance.status = status
    return previous


def assign_grievance(
    session: Session, viewer: Viewer, number: str, assignee_id: int, *, origin: Origin
) -> Grievance:
    grievance = _open(session, viewer, number, "assign")
    return _assign(session, grievance, assignee_id, origin)


def _assign(session: Session, grievance: Grievance, assignee_id: int, origin: Origin) -> Grievance:
    sensitive = grievance.category.sensitive
    allowed = {u.id: u for u in officers_covering(session, grievance.area, sensitive=sensitive)}
    assignee = allowed.get(assignee_id)
    if assignee is None:
        raise InvalidInput(
            N_("This person cannot handle grievances of this area."), field="assignee"
        )
    grievance.assignee = assignee
    previous = grievance.status
    if grievance.status in (Status.NEW, Status.ESCALATED, Status.ASSIGNED):
        previous = _set_status(grievance, Status.ASSIGNED, utcnow())
    log_event(
        session,
        grievance,
        EventKind.ASSIGNED,
        origin,
        from_status=previous,
        details={"assignee": assignee.username},
    )
    return grievance


@dataclass(frozen=True)
class BulkResult:
    assigned: list[str]
    refused: list[str]


def bulk_assign(
    session: Session, viewer: Viewer, numbers: Iterable[str], assignee_id: int, *, origin: Origin
) -> BulkResult:
    """Assigns each grievance it can; the others are listed as refused, nothing half-done."""
    require_handler(viewer)
    assigned, refused = [], []
    for number in dict.fromkeys(numbers):
        try:
            with session.begin_nested():
                assign_grievance(session, viewer, number, assignee_id, origin=origin)
            assigned.append(number)
        except (Conflict, InvalidInput, NotFound):
            refused.append(number)
    return BulkResult(assigned, refused)


def start_work(session: Session, viewer: Viewer, number: str, *, origin: Origin) -> Grievance:
    grievance = _open(session, viewer, number, "start")
    previous = _set_status(grievance, Status.IN_PROGRESS, utcnow())
    log_event(session, grievance, EventKind.STATUS, origin, from_status=previous)
    return grievance


def put_on_hold(
    session: Session, viewer: Viewer, number: str, reason: str, *, origin: Origin
) -> Grievance:
    """Waiting for someone else (a payment agency, a visit): the SLA clock stops meanwhile."""
    grievance = _open(session, viewer, number, "hold")
    text = _text(reason, "text")
    previous = _set_status(grievance, Status.ON_HOLD, utcnow())
    log_event(session, grievance, EventKind.STATUS, origin, from_status=previous, text=text)
    return grievance


def add_note(
    session: Session, viewer: Viewer, number: str, text: str, *, origin: Origin
) -> Grievance:
    grievance = _open(session, viewer, number, "note")
    log_event(session, grievance, EventKind.NOTE, origin, text=_text(text, "text"))
    return grievance


def reply_to_complainant(
    session: Session, viewer: Viewer, number: str, text: str, *, origin: Origin
) -> Grievance:
    """A public answer: an SMS in the complainant's language, and a line in the timeline."""
    grievance = _open(session, viewer, number, "reply")
    body = _text(text, "text")
    sms.check_fits(grievance.language, sms.REPLY, "text", number=grievance.number, text=body)
    previous = grievance.status
    if grievance.status in (Status.NEW, Status.ASSIGNED):
        _set_status(grievance, Status.IN_PROGRESS, utcnow())
    message = sms.notify(session, grievance, sms.REPLY, "grievance.reply", text=body)
    log_event(
        session,
        grievance,
        EventKind.REPLY,
        origin,
        public=True,
        text=body,
        from_status=previous,
        message=message,
    )
    return grievance


def escalate_grievance(
    session: Session, viewer: Viewer, number: str, reason: str, *, origin: Origin
) -> Grievance:
    grievance = _open(session, viewer, number, "escalate")
    return escalate(session, grievance, _text(reason, "text"), origin=origin)


def escalate(
    session: Session,
    grievance: Grievance,
    reason: str,
    *,
    origin: Origin,
    now: datetime | None = None,
    cache: dict[tuple[int, bool], list[User]] | None = None,
) -> Grievance:
    """Hands the grievance to the officers of the next staffed area above the current one."""
    now = now or utcnow()
    sensitive = grievance.category.sensitive
    cache = {} if cache is None else cache
    target = staffed_area(session, grievance.handling_area.parent, sensitive=sensitive, cache=cache)
    if target is None:
        raise Conflict(N_("There is no higher level to escalate this grievance to."))
    officers = cache[(target.id, sensitive)]
    previous = _set_status(grievance, Status.ESCALATED, now)
    grievance.handling_area = target
    grievance.escalation_level += 1
    grievance.assignee = officers[0] if len(officers) == 1 else None
    hours = max(MIN_ESCALATION_HOURS, round(grievance.category.sla_hours * ESCALATION_SLA_SHARE))
    grievance.due_at = now + timedelta(hours=hours)
    message = sms.notify(session, grievance, sms.ESCALATED, "grievance.escalated")
    log_event(
        session,
        grievance,
        EventKind.ESCALATED,
        origin,
        text=reason,
        from_status=previous,
        message=message,
        details={
            "to_area": target.code,
            "level": grievance.escalation_level,
            "assignee": grievance.assignee.username if grievance.assignee else None,
        },
    )
    return grievance


def resolve_grievance(
    session: Session,
    viewer: Viewer,
    number: str,
    decision: str,
    explanation: str,
    *,
    origin: Origin,
) -> Grievance:
    """Decides, tells the complainant why, and asks them one survey question."""
    grievance = _open(session, viewer, number, "resolve")
    if decision not in Decision.__members__.values():
        raise InvalidInput(N_("Choose a decision."), field="decision")
    text = _text(explanation, "explanation")
    label = translate(grievance.language, DECISION_LABELS[Decision(decision)])
    sms.check_fits(
        grievance.language,
        sms.RESOLVED,
        "explanation",
        number=grievance.number,
        decision=label,
        text=text,
    )
    now = utcnow()
    previous = _set_status(grievance, Status.RESOLVED, now)
    grievance.decision = decision
    grievance.resolved_at = now
    grievance.survey_answer = None
    message = sms.notify(
        session, grievance, sms.RESOLVED, "grievance.resolved", decision=label, text=text
    )
    log_event(
        session,
        grievance,
        EventKind.RESOLVED,
        origin,
        public=True,
        text=text,
        from_status=previous,
        message=message,
        details={"decision": decision},
    )
    if sms.notify(session, grievance, sms.SURVEY, "grievance.survey") is not None:
        grievance.survey_sent_at = now
    return grievance


def close_grievance(session: Session, viewer: Viewer, number: str, *, origin: Origin) -> Grievance:
    grievance = _open(session, viewer, number, "close")
    return close(session, grievance, origin=origin)


def close(session: Session, grievance: Grievance, *, origin: Origin) -> Grievance:
    check_transition(grievance, "close")
    now = utcnow()
    previous = _set_status(grievance, Status.CLOSED, now)
    grievance.closed_at = now
    message = sms.notify(session, grievance, sms.CLOSED, "grievance.closed")
    log_event(
        session,
        grievance,
        EventKind.CLOSED,
        origin,
        public=True,
        from_status=previous,
        message=message,
    )
    return grievance


def reopen_grievance(
    session: Session, viewer: Viewer, number: str, reason: str, *, origin: Origin
) -> Grievance:
    grievance = _open(session, viewer, number, "reopen")
    return reopen(session, grievance, _text(reason, "text"), origin=origin)


def reopen(session: Session, grievance: Grievance, reason: str, *, origin: Origin) -> Grievance:
    """Back to work: to its assignee if it has one, with a fresh SLA."""
    check_transition(grievance, "reopen")
    now = utcnow()
    previous = _set_status(grievance, Status.ASSIGNED if grievance.assignee_id else Status.NEW, now)
    grievance.decision = None
    grievance.resolved_at = None
    grievance.closed_at = None
    grievance.due_at = due_from(now, grievance.category.sla_hours)
    message = sms.notify(session, grievance, sms.REOPENED, "grievance.reopened")
    log_event(
        session,
        grievance,
        EventKind.REOPENED,
        origin,
        text=reason,
        from_status=previous,
        message=message,
    )
    return grievance


def assignable_officers(session: Session, grievance: Grievance) -> list[User]:
    return officers_covering(session, grievance.area, sensitive=grievance.category.sensitive)
