"""Applying rules, keeping versions, overrides, status changes, SMS and the status service."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.errors import Conflict, InvalidInput
from registry.origin import Channel
from registry.outbox.models import OutboxMessage
from registry.programs.enrollment import apply_rule_set, change_status, override_decision
from registry.programs.models import Enrollment, RuleSetStatus
from registry.programs.reasons import render_reason
from registry.programs.rules import RuleDocumentError
from registry.programs.rulesets import activate, create_draft, update_draft
from registry.programs.service import enrolled_program_codes
from registry.programs.status import household_status
from tests.factories import community, region
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program


def _enrollment(session: Session, household_id: int) -> Enrollment:
    return session.scalars(select(Enrollment).where(Enrollment.household_id == household_id)).one()


def _sms_to(session: Session, phone: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.to_phone == phone)))


@pytest.fixture()
def world(db_session: Session) -> dict[str, object]:
    area = community(db_session, 0)
    poor = make_family(db_session, area, [30, 3, 1, 8], phone="+254711000001")
    no_kids = make_family(db_session, area, [40, 12], phone="+254711000002", language="fr")
    pending = make_family(db_session, area, [25, 2], phone="+254711000003", channel=Channel.USSD)
    elsewhere = make_family(db_session, community(db_session, 1), [30, 1], phone="+254711000004")
    program = make_program(db_session, region(db_session, 0))
    return {
        "program": program,
        "poor": poor,
        "no_kids": no_kids,
        "pending": pending,
        "elsewhere": elsewhere,
    }


def test_apply_decides_with_reasons_in_words(db_session: Session, world: dict) -> None:
    result = apply_rule_set(db_session, world["program"], origin=ORIGIN, today=TODAY)
    assert result.evaluated == 3
    assert dict(result.decisions) == {"eligible": 1, "not_eligible": 1, "needs_review": 1}
    poor = _enrollment(db_session, world["poor"].id)
    assert (poor.decision, poor.status) == ("eligible", "enrolled")
    assert poor.rule_set.version == 1
    assert poor.amount == Decimal("250.00")  # 3 children x 100, capped at 250
    assert render_reason(poor.reason, "en") == "children under 5: 2; income score 38 is below 40"
    no_kids = _enrollment(db_session, world["no_kids"].id)
    assert (no_kids.decision, no_kids.status) == ("not_eligible", "potential")
    assert render_reason(no_kids.reason, "en") == "children under 5: 0"
    pending = _enrollment(db_session, world["pending"].id)
    assert pending.decision == "needs_review"
    assert render_reason(pending.reason, "en") == "registration is not yet verified"
    sms = _sms_to(db_session, "+254711000001")
    assert [m.template for m in sms] == ["household.registered", "enrollment.enrolled"]
    assert sms[-1].language == "sw" and world["poor"].number in sms[-1].body
    assert _sms_to(db_session, "+254711000002")[-1].template == "household.registered"
    applied = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrollment.apply")
    ).one()
    assert applied.details["evaluated"] == 3


def test_old_decisions_keep_their_rule_version(db_session: Session, world: dict) -> None:
    program = world["program"]
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    first = program.active_rule_set
    document = dict(first.document, pmt=dict(first.document["pmt"], cutoff=30))
    draft = create_draft(
        db_session,
        program,
        source=yaml.safe_dump(document),
        reason="Lower the cut-off to 30",
        effective_from=TODAY,
        origin=ORIGIN,
    )
    activate(db_session, draft, origin=ORIGIN, today=TODAY)
    assert first.status == RuleSetStatus.SUPERSEDED
    poor = _enrollment(db_session, world["poor"].id)
    assert poor.rule_set_id == first.id  # switching on decides nothing by itself
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    db_session.refresh(poor)
    assert (poor.decision, poor.status, poor.rule_set_id) == ("not_eligible", "exited", draft.id)
    versions = [(e.rule_set.version, e.decision, e.status) for e in poor.events]
    assert versions == [(1, "eligible", "enrolled"), (2, "not_eligible", "exited")]
    assert render_reason(poor.events[0].reason, "en").endswith("income score 38 is below 40")
    assert _sms_to(db_session, "+254711000001")[-1].template == "enrollment.exited"
    with pytest.raises(Conflict):
        update_draft(
            db_session,
            first,
            source="conditions: []\nbenefit: {type: service}",
            reason="try to rewrite history",
            effective_from=TODAY,
            origin=ORIGIN,
        )


def test_bad_rules_never_become_a_version(db_session: Session, world: dict) -> None:
    program = world["program"]
    before = len(program.rule_sets)
    with pytest.raises(RuleDocumentError) as caught:
        create_draft(
            db_session,
            program,
            source="conditions:\n  - size / children_under_5 > 1\nbenefit: {type: service}",
            reason="division",
            effective_from=TODAY,
            origin=ORIGIN,
        )
    assert caught.value.where == "conditions[1]"
    with pytest.raises(RuleDocumentError) as caught:
        create_draft(
            db_session,
            program,
            source="conditions: [size >",
            reason="broken yaml",
            effective_from=TODAY,
            origin=ORIGIN,
        )
    assert caught.value.line == 1
    db_session.expire(program, ["rule_sets"])
    assert len(program.rule_sets) == before


def test_override_needs_a_written_reason_and_is_audited(db_session: Session, world: dict) -> None:
    program = world["program"]
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    no_kids = _enrollment(db_session, world["no_kids"].id)
    with pytest.raises(InvalidInput):
        override_decision(db_session, no_kids, "eligible", "ok", origin=ORIGIN)
    note = "Orphans live here since the flood; checked on site."
    override_decision(db_session, no_kids, "eligible", note, origin=ORIGIN)
    assert (no_kids.decision, no_kids.status, no_kids.overridden) == ("eligible", "enrolled", True)
    assert render_reason(no_kids.reason, "en") == f"decided by a program manager: {note}"
    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrollment.override")
    ).one()
    assert event.details["reason"] == note and event.actor_name == "tester"
    assert event.details["from"] == ["not_eligible", "potential"]
    sms = _sms_to(db_session, "+254711000002")[-1]
    assert sms.template == "enrollment.enrolled" and sms.language == "fr"
    result = apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    assert result.kept_overrides == 1
    assert _enrollment(db_session, world["no_kids"].id).decision == "eligible"


def test_status_changes_keep_who_when_why(db_session: Session, world: dict) -> None:
    apply_rule_set(db_session, world["program"], origin=ORIGIN, today=TODAY)
    poor = _enrollment(db_session, world["poor"].id)
    with pytest.raises(Conflict):
        change_status(db_session, poor, "potential", "not a move we allow here", origin=ORIGIN)
    change_status(db_session, poor, "suspended", "Moved away for three months.", origin=ORIGIN)
    assert (poor.status, poor.status_changed_by) == ("suspended", "tester")
    assert poor.events[-1].note == "Moved away for three months."
    assert _sms_to(db_session, "+254711000001")[-1].template == "enrollment.suspended"
    assert enrolled_program_codes(db_session, world["poor"]) == []
    change_status(db_session, poor, "enrolled", "Came back to the village.", origin=ORIGIN)
    assert enrolled_program_codes(db_session, world["poor"]) == ["TST"]


def test_household_status_answers_in_the_callers_language(db_session: Session, world: dict) -> None:
    apply_rule_set(db_session, world["program"], origin=ORIGIN, today=TODAY)
    view = household_status(db_session, world["poor"], "en", today=TODAY)
    assert view.household_number == world["poor"].number
    assert (view.registration_status, view.registration_label) == ("active", "active")
    [line] = view.enrollments
    assert (line.program_code, line.program_name, line.status) == ("TST", "Test Grant", "enrolled")
    assert line.status_label == "Enrolled"
    assert line.reason == "children under 5: 2; income score 38 is below 40"
    payment = view.next_payment
    assert payment is not None
    assert (payment.program_code, payment.amount, payment.currency) == (
        "TST",
        Decimal("250.00"),
        "KES",
    )
    assert (payment.due_date - TODAY).days == 10
    other = household_status(db_session, world["no_kids"], "fr", today=TODAY)
    assert other.next_payment is None
    assert other.enrollments[0].program_name == "Allocation test"
    assert other.enrollments[0].status_label == "Non admissible"
    assert other.enrollments[0].reason == "enfants de moins de 5 ans : 0"
    pending = household_status(db_session, world["pending"], "en", today=TODAY)
    assert pending.registration_label == "waiting for verification"
    assert pending.enrollments[0].status_label == "Needs review"


def test_only_an_active_program_enrolls(db_session: Session, world: dict) -> None:
    from registry.programs.service import set_program_status

    program = world["program"]
    set_program_status(db_session, program, "paused", origin=ORIGIN)
    with pytest.raises(Conflict):
        apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    with pytest.raises(InvalidInput):
        set_program_status(db_session, program, "sleeping", origin=ORIGIN)
    set_program_status(db_session, program, "active", origin=ORIGIN)
    assert apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY).evaluated == 3
    audit = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "program.status")
    ).all()
    assert [e.details["to"] for e in audit] == ["paused", "active"]


def test_a_refused_dry_run_switches_nothing_on(
    db_session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.programs import rulesets

    program = world["program"]
    first = program.active_rule_set
    draft = create_draft(
        db_session,
        program,
        source=first.source,
        reason="Same rules, again",
        effective_from=TODAY,
        origin=ORIGIN,
    )
    monkeypatch.setattr(rulesets, "DRY_RUN_MIN_FOR_TIMING", 1)
    monkeypatch.setattr(rulesets, "DRY_RUN_MAX_MICROSECONDS", 0)
    with pytest.raises(RuleDocumentError, match="too slow"):
        activate(db_session, draft, origin=ORIGIN, today=TODAY)
    assert (first.status, draft.status) == ("active", "draft")


def test_a_version_is_switched_on_from_its_effective_date(db_session: Session, world: dict) -> None:
    from datetime import timedelta

    program = world["program"]
    later = create_draft(
        db_session,
        program,
        source=program.active_rule_set.source,
        reason="Next year's rules",
        effective_from=TODAY + timedelta(days=3),
        origin=ORIGIN,
    )
    with pytest.raises(Conflict):
        activate(db_session, later, origin=ORIGIN, today=TODAY)
    activate(db_session, later, origin=ORIGIN, today=TODAY + timedelta(days=3))
    assert later.status == "active"
