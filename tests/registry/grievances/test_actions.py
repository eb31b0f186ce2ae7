"""Every transition of the state machine, and the refused ones."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.grievances import actions
from registry.grievances.models import Grievance
from registry.grievances.states import TRANSITIONS, Decision, EventKind, Status
from registry.grievances.survey import record_survey_answer
from registry.origin import Channel, Origin
from registry.outbox.models import OutboxMessage
from tests.registry.grievances.helpers import (
    PHONE,
    country_officer,
    lodge,
    officer,
    origin_of,
    setup_categories,
    viewer_of,
)


@pytest.fixture()
def ctx(db_session: Session):  # type: ignore[no-untyped-def]
    setup_categories(db_session)
    user = officer(db_session)
    return db_session, user, viewer_of(user), origin_of(user)


def _messages(session: Session, grievance: Grievance) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.related_id == grievance.number)
            .order_by(OutboxMessage.id)
        )
    )


def _put_in(session, grievance, status, user, viewer, origin) -> None:  # type: ignore[no-untyped-def]
    """Brings a fresh grievance to `status` through the real actions."""
    n = grievance.number
    if status == Status.NEW:
        return
    if status == Status.ESCALATED:
        actions.escalate_grievance(session, viewer, n, "late", origin=origin)
        return
    actions.assign_grievance(session, viewer, n, user.id, origin=origin)
    if status == Status.IN_PROGRESS:
        actions.start_work(session, viewer, n, origin=origin)
    elif status == Status.ON_HOLD:
        actions.put_on_hold(session, viewer, n, "waiting", origin=origin)
    elif status in (Status.RESOLVED, Status.CLOSED):
        actions.resolve_grievance(session, viewer, n, Decision.UPHELD, "Paid.", origin=origin)
        if status == Status.CLOSED:
            actions.close_grievance(session, viewer, n, origin=origin)


def _do(action, session, grievance, user, viewer, origin) -> None:  # type: ignore[no-untyped-def]
    n = grievance.number
    calls = {
        "assign": lambda: actions.assign_grievance(session, viewer, n, user.id, origin=origin),
        "start": lambda: actions.start_work(session, viewer, n, origin=origin),
        "hold": lambda: actions.put_on_hold(session, viewer, n, "wait", origin=origin),
        "escalate": lambda: actions.escalate_grievance(session, viewer, n, "why", origin=origin),
        "reply": lambda: actions.reply_to_complainant(session, viewer, n, "Hi", origin=origin),
        "note": lambda: actions.add_note(session, viewer, n, "n", origin=origin),
        "resolve": lambda: actions.resolve_grievance(
            session, viewer, n, Decision.REJECTED, "No.", origin=origin
        ),
        "close": lambda: actions.close_grievance(session, viewer, n, origin=origin),
        "reopen": lambda: actions.reopen_grievance(session, viewer, n, "again", origin=origin),
    }
    calls[action]()


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
def test_state_machine(ctx, action: str, status: Status) -> None:  # type: ignore[no-untyped-def]
    session, user, viewer, origin = ctx
    country_officer(session)  # escalation from the region goes to them
    grievance = lodge(session)
    _put_in(session, grievance, status, user, viewer, origin)
    assert grievance.status == status
    events_before = len(grievance.events)
    if status == Status.ESCALATED and action == "escalate":
        with pytest.raises(Conflict, match="no higher level"):
            _do(action, session, grievance, user, viewer, origin)
    elif status in TRANSITIONS[action]:
        _do(action, session, grievance, user, viewer, origin)
        assert len(grievance.events) > events_before
    else:
        with pytest.raises(Conflict):
            _do(action, session, grievance, user, viewer, origin)
        assert len(grievance.events) == events_before
        assert grievance.status == status


def test_full_life_with_sms_at_each_public_change(ctx) -> None:  # type: ignore[no-untyped-def]
    session, user, viewer, origin = ctx
    grievance = lodge(session, language="fr")
    n = grievance.number
    actions.assign_grievance(session, viewer, n, user.id, origin=origin)
    assert grievance.status == Status.ASSIGNED and grievance.assignee_id == user.id
    actions.add_note(session, viewer, n, "Vérifier la liste", origin=origin)
    actions.reply_to_complainant(session, viewer, n, "Nous vérifions.", origin=origin)
    assert grievance.status == Status.IN_PROGRESS
    actions.resolve_grievance(
        session, viewer, n, Decision.PARTLY_UPHELD, "Paiement refait.", origin=origin
    )
    assert grievance.status == Status.RESOLVED and grievance.decision == "partly_upheld"
    bodies = [m.body for m in _messages(session, grievance)]
    assert len(bodies) == 4  # receipt, reply, decision, survey
    assert all(m.language == "fr" and m.to_phone == PHONE for m in _messages(session, grievance))
    assert "Nous vérifions." in bodies[1] and "Paiement refait." in bodies[2]
    kinds = [e.kind for e in grievance.events]
    assert kinds == ["received", "assigned", "note", "reply", "resolved"]
    reply = grievance.events[3]
    assert reply.public and reply.message is not None and reply.message.status == "queued"
    assert not grievance.events[2].public
    actions_audited = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == n))
    )
    assert {"grievance.assigned", "grievance.note", "grievance.reply"} <= actions_audited


def test_no_consent_means_no_sms_after_the_receipt(ctx) -> None:  # type: ignore[no-untyped-def]
    session, _user, viewer, origin = ctx
    grievance = lodge(session, consent=False)
    actions.reply_to_complainant(session, viewer, grievance.number, "ok", origin=origin)
    assert len(_messages(session, grievance)) == 1
    assert grievance.events[-1].message is None


def test_reply_too_long_for_two_sms_is_refused(ctx) -> None:  # type: ignore[no-untyped-def]
    session, _user, viewer, origin = ctx
    grievance = lodge(session, language="ar")
    with pytest.raises(InvalidInput):
        actions.reply_to_complainant(session, viewer, grievance.number, "ب" * 130, origin=origin)
    actions.reply_to_complainant(session, viewer, grievance.number, "ب" * 90, origin=origin)


def test_assignee_must_cover_the_area(ctx) -> None:  # type: ignore[no-untyped-def]
    session, _user, viewer, origin = ctx
    other_region = officer(session, 1)
    grievance = lodge(session)
    with pytest.raises(InvalidInput):
        actions.assign_grievance(session, viewer, grievance.number, other_region.id, origin=origin)


def test_roles_without_handling_are_forbidden(ctx) -> None:  # type: ignore[no-untyped-def]
    session, _user, _viewer, _origin = ctx
    field = officer(session, 0, roles={"field_worker"})
    grievance = lodge(session)
    with pytest.raises(Forbidden):
        actions.add_note(session, viewer_of(field), grievance.number, "x", origin=origin_of(field))


def test_bulk_assign_reports_refused_numbers(ctx) -> None:  # type: ignore[no-untyped-def]
    session, user, viewer, origin = ctx
    a, b = lodge(session), lodge(session)
    other = lodge(session, region_index=1)
    actions.resolve_grievance(session, viewer, b.number, Decision.UPHELD, "ok", origin=origin)
    result = actions.bulk_assign(
        session, viewer, [a.number, b.number, other.number], user.id, origin=origin
    )
    assert result.assigned == [a.number]
    assert result.refused == [b.number, other.number]
    assert a.assignee_id == user.id and other.assignee_id is None


def test_on_hold_stops_the_sla_clock(ctx) -> None:  # type: ignore[no-untyped-def]
    session, user, viewer, origin = ctx
    with time_machine.travel("2026-03-02 08:00:00+00:00", tick=False) as clock:
        grievance = lodge(session)
        due = grievance.due_at
        actions.assign_grievance(session, viewer, grievance.number, user.id, origin=origin)
        actions.put_on_hold(session, viewer, grievance.number, "agency", origin=origin)
        clock.shift(timedelta(hours=30))
        actions.start_work(session, viewer, grievance.number, origin=origin)
    assert grievance.due_at == due + timedelta(hours=30)


def test_survey_one_closes_two_reopens(ctx) -> None:  # type: ignore[no-untyped-def]
    session, user, viewer, origin = ctx
    sms_origin = Origin(channel=Channel.SMS, phone=PHONE)
    first = lodge(session)
    actions.assign_grievance(session, viewer, first.number, user.id, origin=origin)
    actions.resolve_grievance(session, viewer, first.number, Decision.UPHELD, "Paid", origin=origin)
    assert first.survey_sent_at is not None
    assert record_survey_answer(session, PHONE, "3", sms_origin) is None
    assert record_survey_answer(session, "+254799999999", "1", sms_origin) is None
    assert record_survey_answer(session, PHONE, " 1 ", sms_origin) is first
    assert first.status == Status.CLOSED and first.survey_answer == "1"
    assert record_survey_answer(session, PHONE, "2", sms_origin) is None  # nothing pending

    second = lodge(session)
    actions.assign_grievance(session, viewer, second.number, user.id, origin=origin)
    actions.resolve_grievance(
        session, viewer, second.number, Decision.REJECTED, "Not eligible", origin=origin
    )
    assert record_survey_answer(session, PHONE, "2", sms_origin) is second
    assert second.status == Status.ASSIGNED and second.decision is None
    assert [e.kind for e in second.events][-2:] == [EventKind.SURVEY, EventKind.REOPENED]


def test_sensitive_grievances_are_invisible_without_clearance(ctx) -> None:  # type: ignore[no-untyped-def]
    session, _user, viewer, origin = ctx
    grievance = lodge(session, category="abuse")
    with pytest.raises(NotFound):
        actions.add_note(session, viewer, grievance.number, "x", origin=origin)
    cleared = officer(session, 0, roles={"grievance_officer", "case_worker"})
    actions.add_note(session, viewer_of(cleared), grievance.number, "x", origin=origin_of(cleared))
