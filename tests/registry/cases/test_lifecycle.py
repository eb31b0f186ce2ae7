"""A case from intake to closure through the services, for each shipped case type."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.cases import types, work
from registry.cases.access import read_case
from registry.cases.intake import open_from_field
from registry.errors import Conflict, Forbidden, InvalidInput
from registry.origin import Channel
from registry.users.service import scope_of
from tests.registry.cases.helpers import member, origin_of, staff, viewer_of

TYPES = ("child_protection", "disability_inclusion", "early_education")


def _answers(case_type) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from registry.cases.demo import _answers as demo_answers

    return demo_answers(case_type)


@pytest.mark.parametrize("code", TYPES)
def test_intake_to_closure(db_session: Session, code: str) -> None:
    field = staff(db_session, "field_worker")
    worker = staff(db_session, "case_worker")
    supervisor = staff(db_session, "case_supervisor")
    number, person = member(db_session)

    case = open_from_field(
        db_session,
        scope_of(field),
        number,
        person.id,
        code,
        "  Seen alone at night  ",
        origin=origin_of(field, Channel.FIELD),
    )
    assert case.stage == types.stage_for(case.case_type, "opened")
    assert case.worker is None and case.reason == "Seen alone at night"
    assert case.next_visit_on == date.today() + timedelta(
        days=case.case_type.definition["first_visit_within_days"]
    )
    sup, sup_origin = viewer_of(supervisor), origin_of(supervisor)
    work.assign_case(db_session, sup, case.number, worker.id, origin=sup_origin)
    me, my_origin = viewer_of(worker), origin_of(worker)

    answers = _answers(case.case_type)
    _, saved = work.record_assessment(
        db_session, me, case.number, answers, "k" * 20, origin=my_origin
    )
    _, again = work.record_assessment(
        db_session, me, case.number, answers, "k" * 20, origin=my_origin
    )
    assert saved and not again
    assert case.stage == types.stage_for(case.case_type, "assessed") and case.risk

    with pytest.raises(Conflict):
        work.submit_plan(db_session, me, case.number, origin=my_origin)  # no goal yet
    work.add_plan_item(db_session, me, case.number, "goal", "Stable care", None, origin=my_origin)
    due = date.today() + timedelta(days=3)
    work.add_plan_item(
        db_session, me, case.number, "action", "Meet the aunt", due, origin=my_origin
    )
    assert case.next_due_on == min(due, case.next_visit_on)
    work.submit_plan(db_session, me, case.number, origin=my_origin)
    with pytest.raises(Forbidden):
        work.approve_plan(db_session, me, case.number, origin=my_origin)  # a worker cannot
    work.approve_plan(db_session, sup, case.number, origin=sup_origin)
    assert case.plan_status == "approved"
    assert case.stage == types.stage_for(case.case_type, "plan_approved")

    service = types.entries(case.case_type, "services")[0]["code"]
    referral = work.refer(db_session, me, case.number, service, "Clinic", None, origin=my_origin)
    with pytest.raises(Conflict):
        work.update_referral(db_session, me, case.number, referral.id, "given", origin=my_origin)
    work.update_referral(db_session, me, case.number, referral.id, "accepted", origin=my_origin)
    work.update_referral(db_session, me, case.number, referral.id, "given", origin=my_origin)
    assert referral.status == "given"

    visit, created = work.record_visit(
        db_session,
        me,
        case.number,
        key="v" * 20,
        visited_on=date.today(),
        met_person=True,
        risk=None,
        notes="All well",
        origin=my_origin,
    )
    _, resent = work.record_visit(
        db_session,
        me,
        case.number,
        key="v" * 20,
        visited_on=date.today(),
        met_person=True,
        risk=None,
        notes="All well",
        origin=my_origin,
    )
    assert created and not resent and len(case.visits) == 1
    interval = types.visit_interval(case.case_type, case.risk)
    assert case.next_visit_on == date.today() + timedelta(days=interval)

    reason = types.entries(case.case_type, "closure_reasons")[0]["code"]
    with pytest.raises(InvalidInput):
        work.close_case(db_session, me, case.number, "nonsense", "", origin=my_origin)
    work.close_case(db_session, me, case.number, reason, "Done", origin=my_origin)
    assert case.status == "closed" and case.next_due_on is None
    with pytest.raises(Conflict):
        work.refer(db_session, me, case.number, service, "Clinic", None, origin=my_origin)
    work.reopen_case(db_session, me, case.number, "Back again", origin=my_origin)
    assert case.status == "open" and case.stage == types.stage_for(case.case_type, "plan_approved")

    read_case(db_session, me, case.number, origin=my_origin)
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.target_id == case.number)
    ).all()
    assert "case.read" in actions and "case.plan_approved" in actions
    kinds = [e.kind for e in case.events]
    assert kinds[0] == "opened" and "visited" in kinds and kinds[-1] == "reopened"


def test_a_supervisor_cannot_approve_their_own_plan(db_session: Session) -> None:
    supervisor = staff(db_session, "case_supervisor")
    number, person = member(db_session)
    sup, origin = viewer_of(supervisor), origin_of(supervisor)
    case = open_from_field(
        db_session, scope_of(supervisor), number, person.id, "early_education", "x", origin=origin
    )
    work.assign_case(db_session, sup, case.number, supervisor.id, origin=origin)
    work.record_assessment(
        db_session, sup, case.number, _answers(case.case_type), "a" * 20, origin=origin
    )
    work.add_plan_item(db_session, sup, case.number, "goal", "A place", None, origin=origin)
    work.submit_plan(db_session, sup, case.number, origin=origin)
    with pytest.raises(Forbidden):
        work.approve_plan(db_session, sup, case.number, origin=origin)


def test_bad_inputs_change_nothing(db_session: Session) -> None:
    worker = staff(db_session, "case_worker")
    number, person = member(db_session)
    me, origin = viewer_of(worker), origin_of(worker)
    with pytest.raises(InvalidInput):
        open_from_field(db_session, scope_of(worker), number, person.id, "nope", "x", origin=origin)
    with pytest.raises(InvalidInput):
        open_from_field(
            db_session, scope_of(worker), number, person.id, "child_protection", " ", origin=origin
        )
    with pytest.raises(InvalidInput):
        open_from_field(
            db_session, scope_of(worker), number, -1, "child_protection", "x", origin=origin
        )
    case = open_from_field(
        db_session, scope_of(worker), number, person.id, "child_protection", "x", origin=origin
    )
    case.worker = worker
    db_session.flush()
    with pytest.raises(InvalidInput):
        work.record_visit(
            db_session,
            me,
            case.number,
            key="short",
            visited_on=date.today(),
            met_person=True,
            risk=None,
            notes="",
            origin=origin,
        )
    with pytest.raises(InvalidInput):
        work.record_visit(
            db_session,
            me,
            case.number,
            key="f" * 20,
            visited_on=date.today() + timedelta(days=1),
            met_person=True,
            risk=None,
            notes="",
            origin=origin,
        )
    assert case.visits == []


def test_retention_clears_old_closed_cases_and_keeps_the_figures(db_session: Session) -> None:
    from datetime import timedelta as delta

    from registry.cases.retention import REMOVED
    from registry.db import utcnow
    from registry.privacy.retention import RetentionPolicy, run_retention

    worker = staff(db_session, "case_worker")
    number, person = member(db_session)
    me, origin = viewer_of(worker), origin_of(worker)
    old = open_from_field(
        db_session,
        scope_of(worker),
        number,
        person.id,
        "child_protection",
        "Very private",
        origin=origin,
    )
    kept = open_from_field(
        db_session, scope_of(worker), number, person.id, "early_education", "Recent", origin=origin
    )
    for case in (old, kept):
        case.worker = worker
        db_session.flush()
        work.add_note(db_session, me, case.number, "Private note", origin=origin)
        work.close_case(
            db_session,
            me,
            case.number,
            types.entries(case.case_type, "closure_reasons")[0]["code"],
            "",
            origin=origin,
        )
    old.closed_at = utcnow() - delta(days=6 * 365)
    report = run_retention(db_session, origin=origin, policy=RetentionPolicy())
    assert report.other["registry.cases.retention.erase_closed_cases"] == 1
    assert old.reason == REMOVED and old.person_id is None and old.erased_at is not None
    assert all(e.text in (None, REMOVED) for e in old.events)
    assert old.close_reason and old.case_type.code == "child_protection"
    assert kept.reason == "Recent" and kept.erased_at is None
    with pytest.raises(Conflict):
        work.reopen_case(db_session, me, old.number, "again", origin=origin)
