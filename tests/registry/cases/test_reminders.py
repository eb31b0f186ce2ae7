"""Overdue case work: the worker is reminded once per due date, supervisors are alerted when it
stays late (or nobody has the case), through the outbox; the SMS fit two segments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.cases.intake import Intake, open_case
from registry.cases.reminders import (
    ESCALATE_AFTER_DAYS,
    SUPERVISOR_ALERT,
    WORKER_REMINDER,
    remind_overdue,
)
from registry.grievances.escalation import run_overdue_sweeps
from registry.i18n import translate
from registry.messaging.encoding import fit_for_sms, segments
from registry.origin import Origin
from registry.outbox.models import OutboxMessage
from registry.settings import DEFAULT_LANGUAGES
from tests.registry.cases.helpers import member, staff


def _case(db_session: Session, *, worker=None, opened_days_ago: int = 10):  # type: ignore[no-untyped-def]
    _number, person = member(db_session)
    case = open_case(
        db_session,
        Intake("child_protection", "field", "late", person, person.household.area_id),
        origin=Origin.system("tests"),
        today=date.today() - timedelta(days=opened_days_ago),
    )
    case.worker = worker
    db_session.flush()
    return case


def _sms_to(db_session: Session, phone: str) -> list[OutboxMessage]:
    return list(db_session.scalars(select(OutboxMessage).where(OutboxMessage.to_phone == phone)))


def test_worker_reminded_once_then_supervisor_alerted(db_session: Session) -> None:
    worker = staff(db_session, "case_worker", phone="+254700990001")
    supervisor = staff(db_session, "case_supervisor", phone="+254700990002")
    case = _case(db_session, worker=worker, opened_days_ago=3)  # due 2 days after opening: 1 late
    assert case.next_due_on is not None and case.next_due_on < date.today()
    first = remind_overdue(db_session)
    assert case.number in first.reminded and case.number not in first.escalated
    again = remind_overdue(db_session)
    assert case.number not in again.reminded
    assert len(_sms_to(db_session, worker.phone)) == 1  # type: ignore[arg-type]
    assert case.number in _sms_to(db_session, worker.phone)[0].body  # type: ignore[arg-type]
    later = remind_overdue(db_session, today=date.today() + timedelta(days=ESCALATE_AFTER_DAYS))
    assert case.number in later.escalated
    alerts = _sms_to(db_session, supervisor.phone)  # type: ignore[arg-type]
    assert len(alerts) == 1 and worker.full_name in alerts[0].body
    remind_overdue(db_session, today=date.today() + timedelta(days=ESCALATE_AFTER_DAYS + 1))
    assert len(_sms_to(db_session, supervisor.phone)) == 1  # type: ignore[arg-type]
    assert [e.kind for e in case.events][-2:] == ["reminded", "escalated"]


def test_an_unassigned_late_case_goes_to_the_supervisors_at_once(db_session: Session) -> None:
    supervisor = staff(db_session, "case_supervisor", phone="+254700990003")
    case = _case(db_session)
    run = run_overdue_sweeps(db_session)  # what `kinga grievances escalate` runs too
    assert run["registry.cases.reminders.sweep"] >= 1
    assert case.escalated_for == case.next_due_on
    assert len(_sms_to(db_session, supervisor.phone)) == 1  # type: ignore[arg-type]


def test_work_not_yet_due_sends_nothing(db_session: Session) -> None:
    worker = staff(db_session, "case_worker", phone="+254700990004")
    _case(db_session, worker=worker, opened_days_ago=0)
    remind_overdue(db_session)
    assert _sms_to(db_session, worker.phone) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
@pytest.mark.parametrize("msgid", [WORKER_REMINDER, SUPERVISOR_ALERT])
def test_reminders_fit_two_segments(language: str, msgid: str) -> None:
    text = translate(language, msgid, number="123456789", date="2026-12-31", worker="X" * 40)
    assert segments(fit_for_sms(text, language))[1] <= 2
