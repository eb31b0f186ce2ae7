"""SLA and escalation with frozen time."""

from datetime import timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.grievances import actions
from registry.grievances.escalation import escalate_overdue
from registry.grievances.states import EventKind, Status
from registry.outbox.models import OutboxMessage
from tests.registry.grievances.helpers import (
    country_officer,
    lodge,
    officer,
    origin_of,
    setup_categories,
    viewer_of,
)

START = "2026-03-02 08:00:00+00:00"


def test_due_time_comes_from_the_category_sla(db_session: Session) -> None:
    setup_categories(db_session)
    with time_machine.travel(START, tick=False):
        late_payment = lodge(db_session, category="payment_missing")
        data = lodge(db_session, category="data_correction")
    assert late_payment.due_at.isoformat() == "2026-03-05T08:00:00+00:00"  # 72 h
    assert data.due_at.isoformat() == "2026-03-16T08:00:00+00:00"  # 336 h


def test_overdue_grievances_go_to_the_parent_areas_officers_once(db_session: Session) -> None:
    setup_categories(db_session)
    regional = officer(db_session, 0)
    national = country_officer(db_session)
    with time_machine.travel(START, tick=False) as clock:
        late = lodge(db_session)
        on_time = lodge(db_session, category="data_correction")
        held = lodge(db_session)
        actions.assign_grievance(
            db_session, viewer_of(regional), late.number, regional.id, origin=origin_of(regional)
        )
        actions.assign_grievance(
            db_session, viewer_of(regional), held.number, regional.id, origin=origin_of(regional)
        )
        actions.put_on_hold(
            db_session, viewer_of(regional), held.number, "agency", origin=origin_of(regional)
        )
        clock.shift(timedelta(hours=71))
        assert escalate_overdue(db_session) == []
        clock.shift(timedelta(hours=2))
        assert escalate_overdue(db_session) == [late.number]
        assert escalate_overdue(db_session) == []  # idempotent: run every minute
        assert late.status == Status.ESCALATED and late.escalation_level == 1
        assert late.handling_area_id == national.areas[0].id
        assert late.assignee_id == national.id  # the only officer up there
        assert late.events[-1].kind == EventKind.ESCALATED
        assert late.due_at.isoformat() == "2026-03-06T21:00:00+00:00"  # half the SLA: 36 h
        assert on_time.status == Status.NEW and held.status == Status.ON_HOLD
        told = db_session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.related_id == late.number,
                OutboxMessage.template == "grievance.escalated",
            )
        )
        assert told is not None and told.language == "sw" and "afisa" in told.body
        clock.shift(timedelta(days=30))
        # Nobody above the country: it stays escalated (and late) without new events.
        events = len(late.events)
        assert late.number not in escalate_overdue(db_session)
        assert len(late.events) == events


def test_officer_escalation_without_higher_level_is_refused(db_session: Session) -> None:
    import pytest

    from registry.errors import Conflict

    setup_categories(db_session)
    regional = officer(db_session, 0)
    grievance = lodge(db_session)
    with pytest.raises(Conflict):
        actions.escalate_grievance(
            db_session, viewer_of(regional), grievance.number, "why", origin=origin_of(regional)
        )
