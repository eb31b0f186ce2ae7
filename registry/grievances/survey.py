"""The one-question SMS survey after a resolution: 1 satisfied (closes), 2 not (reopens)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.grievances.actions import close, reopen
from registry.grievances.models import Grievance
from registry.grievances.states import EventKind, Status
from registry.grievances.timeline import log_event
from registry.i18n import N_
from registry.origin import Origin

SURVEY_VALID_FOR = timedelta(days=14)
SATISFIED, NOT_SATISFIED = "1", "2"


def record_survey_answer(
    session: Session, phone: str, answer: str, origin: Origin
) -> Grievance | None:
    """Applies a "1"/"2" reply from `phone` to its latest unanswered survey.

    Returns None when the answer is not 1 or 2 or no survey waits for this phone, so that the
    SMS door can treat the message as something else.
    """
    answer = answer.strip()
    if answer not in (SATISFIED, NOT_SATISFIED):
        return None
    grievance = session.scalar(
        select(Grievance)
        .where(
            Grievance.complainant_phone == phone,
            Grievance.status == Status.RESOLVED,
            Grievance.survey_sent_at.is_not(None),
            Grievance.survey_sent_at > utcnow() - SURVEY_VALID_FOR,
            Grievance.survey_answer.is_(None),
        )
        .order_by(Grievance.survey_sent_at.desc())
        .limit(1)
    )
    if grievance is None:
        return None
    grievance.survey_answer = answer
    satisfied = answer == SATISFIED
    log_event(
        session,
        grievance,
        EventKind.SURVEY,
        origin,
        text=N_("Satisfied") if satisfied else N_("Not satisfied"),
        details={"answer": answer},
    )
    if satisfied:
        return close(session, grievance, origin=origin)
    return reopen(session, grievance, N_("The complainant is not satisfied"), origin=origin)
