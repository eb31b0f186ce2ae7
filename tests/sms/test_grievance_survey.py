"""The satisfaction survey answered by SMS, end to end through both gateways' webhooks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.grievances import actions
from registry.grievances.models import Grievance
from registry.grievances.states import Decision, EventKind, Status
from registry.messaging.models import InboundMessage
from registry.outbox.models import OutboxMessage
from tests.registry.grievances.helpers import lodge, officer, origin_of, viewer_of
from tests.sms.conftest import PHONE, SmsActions, twiml_text


def resolved(session: Session, decision: Decision = Decision.UPHELD) -> Grievance:
    """A grievance lodged from PHONE, resolved by an officer: its survey SMS is queued."""
    user = officer(session)
    viewer, origin = viewer_of(user), origin_of(user)
    grievance = lodge(session, phone=PHONE, language="sw")
    actions.assign_grievance(session, viewer, grievance.number, user.id, origin=origin)
    actions.resolve_grievance(session, viewer, grievance.number, decision, "Done", origin=origin)
    session.commit()
    assert grievance.survey_sent_at is not None and grievance.status == Status.RESOLVED
    return grievance


def templates_to(session: Session, grievance: Grievance) -> list[str]:
    return list(
        session.scalars(
            select(OutboxMessage.template)
            .where(OutboxMessage.related_id == grievance.number)
            .order_by(OutboxMessage.id)
        )
    )


def outcome_of(session: Session, provider_message_id: str) -> str | None:
    return session.scalar(
        select(InboundMessage.outcome).where(
            InboundMessage.provider_message_id == provider_message_id
        )
    )


def test_twilio_reply_one_closes_the_grievance(sms: SmsActions, db_session: Session) -> None:
    grievance = resolved(db_session)
    response = sms.twilio("1", sid="SMsurvey1")
    assert response.status_code == 200
    assert twiml_text(response) == ""  # the desk's own "closed" SMS goes through the outbox
    db_session.refresh(grievance)
    assert grievance.status == Status.CLOSED and grievance.survey_answer == "1"
    assert [e.kind for e in grievance.events][-2:] == [EventKind.SURVEY, EventKind.CLOSED]
    assert templates_to(db_session, grievance)[-1] == "grievance.closed"
    assert outcome_of(db_session, "SMsurvey1") == "survey_satisfied"
    # Nothing waits any more: the same "1" is now an ordinary (unknown) message with a reply.
    again = sms.twilio("1", sid="SMsurvey2")
    assert twiml_text(again) != "" and outcome_of(db_session, "SMsurvey2") != "survey_satisfied"
    db_session.refresh(grievance)
    assert grievance.status == Status.CLOSED


def test_africastalking_reply_two_reopens_the_grievance(
    sms: SmsActions, db_session: Session
) -> None:
    grievance = resolved(db_session, Decision.REJECTED)
    response = sms.africastalking(" 2 ", message_id="ATsurvey1")
    assert response.status_code == 200
    db_session.refresh(grievance)
    assert grievance.status == Status.ASSIGNED and grievance.survey_answer == "2"
    assert grievance.decision is None
    assert [e.kind for e in grievance.events][-2:] == [EventKind.SURVEY, EventKind.REOPENED]
    assert templates_to(db_session, grievance)[-1] == "grievance.reopened"
    assert outcome_of(db_session, "ATsurvey1") == "survey_not_satisfied"
    # No other reply was queued for that message.
    assert not db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "sms.reply")
    ).all()


def test_other_phones_and_other_answers_are_keywords_as_before(
    sms: SmsActions, db_session: Session
) -> None:
    grievance = resolved(db_session)
    assert twiml_text(sms.twilio("1", phone="+254799999999")) != ""
    assert twiml_text(sms.twilio("3")) != ""
    db_session.refresh(grievance)
    assert grievance.status == Status.RESOLVED and grievance.survey_answer is None
