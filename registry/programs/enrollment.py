"""Enrollment: decisions from the active rule set, overrides with a written reason, status changes.

Every change keeps an `EnrollmentEvent` with the rule version it was made under, is audited,
and a change of status sends an SMS to the household head in their language (outbox).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.models import Household, Person, Relation
from registry.i18n import N_
from registry.origin import Origin
from registry.outbox.service import queue_sms
from registry.programs.models import (
    Decision,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Program,
    ProgramStatus,
    RuleSet,
)
from registry.programs.population import iter_population
from registry.programs.rules import Outcome
from registry.programs.rulesets import compiled
from registry.scope import Scope, in_scope

S = EnrollmentStatus
SMS_TEXTS = {
    S.ENROLLED: N_("Kinga: household %(number)s is now enrolled in %(program)s."),
    S.SUSPENDED: N_("Kinga: household %(number)s: %(program)s is suspended for now."),
    S.EXITED: N_("Kinga: household %(number)s is no longer enrolled in %(program)s."),
}


def next_status(current: str | None, decision: str) -> str:
    """Where a household goes when a decision is made; suspensions stay with the manager."""
    if decision == Decision.ELIGIBLE:
        return S.SUSPENDED if current == S.SUSPENDED else S.ENROLLED
    if decision == Decision.NOT_ELIGIBLE:
        return S.EXITED if current in (S.ENROLLED, S.SUSPENDED, S.EXITED) else S.POTENTIAL
    return current or S.POTENTIAL  # needs review: nobody is dropped or added until reviewed


def _items_json(outcome: Outcome) -> list[Any] | None:
    if not outcome.items:
        return None
    return [[item.names, quantity, item.unit] for item, quantity in outcome.items]


def _reason_json(outcome: Outcome) -> list[Any]:
    return [[msgid, params] for msgid, params in outcome.reason]


@dataclass
class ApplyResult:
    evaluated: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    changes: Counter[str] = field(default_factory=Counter)
    kept_overrides: int = 0
    messages: int = 0


def check_can_apply(program: Program) -> RuleSet:
    """The active rule set, or the reason enrollment cannot run (checked before starting a job)."""
    if program.status != ProgramStatus.ACTIVE:
        raise Conflict(N_("Only an active program enrolls households; open the program first."))
    rule_set = program.active_rule_set
    if rule_set is None:
        raise Conflict(N_("This program has no active rule set yet."))
    return rule_set


def apply_rule_set(
    session: Session,
    program: Program,
    *,
    origin: Origin,
    today: date,
    checkpoint: Callable[[int], None] | None = None,
    every: int = 2000,
) -> ApplyResult:
    """Decides every household in the program's areas with the active rule set.

    Idempotent: a household already decided the same way under this rule set is skipped, so a
    run that is repeated (a job retried after its worker died) changes and notifies nothing
    twice. `checkpoint(evaluated)` is called every `every` households, after that chunk's
    decisions and SMS are flushed; a job commits there.
    """
    rule_set = check_can_apply(program)
    rules = compiled(rule_set)
    existing = {
        e.household_id: e
        for e in session.scalars(select(Enrollment).where(Enrollment.program_id == program.id))
    }
    actor = origin.actor_name or "system"
    result = ApplyResult()
    status_changed: list[Enrollment] = []
    for row in iter_population(session, [a.path for a in program.areas], today):
        if checkpoint is not None and result.evaluated and result.evaluated % every == 0:
            session.flush()
            result.messages += _notify(session, program, status_changed)
            status_changed = []
            checkpoint(result.evaluated)
        result.evaluated += 1
        outcome = rules.evaluate(row.facts)
        result.decisions[outcome.decision] += 1
        enrollment = existing.get(row.household_id)
        if enrollment is not None and enrollment.overridden:
            result.kept_overrides += 1
            continue
        if enrollment is None:
            enrollment = Enrollment(
                household_id=row.household_id,
                program_id=program.id,
                status=S.POTENTIAL,
                status_changed_by=actor,
            )
            session.add(enrollment)
            previous_status = None
        elif _same(enrollment, outcome, rule_set):
            continue
        else:
            previous_status = enrollment.status
        status = next_status(previous_status, outcome.decision)
        _decide(enrollment, outcome, rule_set, actor)
        if status != enrollment.status or previous_status is None:
            enrollment.status = status
            enrollment.status_changed_at = utcnow()
            enrollment.status_changed_by = actor
        session.add(_event(enrollment, "decision", actor))
        if status != (previous_status or S.POTENTIAL):
            result.changes[status] += 1
            status_changed.append(enrollment)
    session.flush()
    result.messages += _notify(session, program, status_changed)
    record(
        session,
        origin,
        "enrollment.apply",
        target_type="program",
        target_id=program.code,
        details={
            "version": rule_set.version,
            "evaluated": result.evaluated,
            "decisions": dict(result.decisions),
            "changes": dict(result.changes),
        },
    )
    return result


def _same(enrollment: Enrollment, outcome: Outcome, rule_set: RuleSet) -> bool:
    return (
        enrollment.rule_set_id == rule_set.id
        and enrollment.decision == outcome.decision
        and enrollment.reason == _reason_json(outcome)
    )


def _decide(enrollment: Enrollment, outcome: Outcome, rule_set: RuleSet, actor: str) -> None:
    enrollment.decision = outcome.decision
    enrollment.rule_set_id = rule_set.id
    enrollment.reason = _reason_json(outcome)
    enrollment.score = None if outcome.score is None else Decimal(str(outcome.score))
    enrollment.amount = outcome.amount
    enrollment.items = _items_json(outcome)
    enrollment.decided_at = utcnow()
    enrollment.decided_by = actor


def _event(
    enrollment: Enrollment, kind: str, actor: str, note: str | None = None
) -> EnrollmentEvent:
    return EnrollmentEvent(
        enrollment=enrollment,
        at=utcnow(),
        actor=actor,
        kind=kind,
        decision=enrollment.decision,
        status=enrollment.status,
        rule_set_id=enrollment.rule_set_id,
        reason=list(enrollment.reason),
        note=note,
    )


def _notify(session: Session, program: Program, changed: list[Enrollment]) -> int:
    """One SMS per status change, to the head, in the head's language."""
    wanted = [e for e in changed if e.status in SMS_TEXTS]
    if not wanted:
        return 0
    heads: dict[int, Any] = {}
    ids = [e.household_id for e in wanted]
    for start in range(0, len(ids), 500):
        for row in session.execute(
            select(Person.household_id, Person.phone, Person.language, Household.number)
            .join(Household, Household.id == Person.household_id)
            .where(
                Person.household_id.in_(ids[start : start + 500]), Person.relation == Relation.HEAD
            )
        ):
            heads[row.household_id] = row
    sent = 0
    for enrollment in wanted:
        head = heads.get(enrollment.household_id)
        if head is None or not head.phone:
            continue
        queue_sms(
            session,
            to_phone=head.phone,
            language=head.language,
            msgid=SMS_TEXTS[S(enrollment.status)],
            template=f"enrollment.{enrollment.status}",
            params={"number": head.number, "program": program.name_in(head.language)},
            related_type="enrollment",
            related_id=enrollment.id,
        )
        sent += 1
    return sent


def _household_area(session: Session, enrollment: Enrollment) -> str | None:
    household = session.get(Household, enrollment.household_id)
    return household.area.code if household else None


def _written(note: str) -> str:
    note = (note or "").strip()
    if len(note) < 10:
        raise InvalidInput(N_("Write the reason in a full sentence."), field="note")
    return note[:1000]


def override_decision(
    session: Session, enrollment: Enrollment, decision: str, note: str, *, origin: Origin
) -> Enrollment:
    """A manager's decision in place of the rules': only with a written reason, audited."""
    if decision not in (Decision.ELIGIBLE, Decision.NOT_ELIGIBLE):
        raise InvalidInput(N_("Choose eligible or not eligible."), field="decision")
    note = _written(note)
    actor = origin.actor_name or "system"
    before = (enrollment.decision, enrollment.status)
    status = next_status(enrollment.status, decision)
    enrollment.decision = decision
    enrollment.overridden = True
    enrollment.override_reason = note
    enrollment.reason = [[N_("decided by a program manager: %(note)s"), {"note": note}]]
    enrollment.decided_at = utcnow()
    enrollment.decided_by = actor
    changed = status != enrollment.status
    enrollment.status = status
    if changed:
        enrollment.status_changed_at = utcnow()
        enrollment.status_changed_by = actor
        enrollment.status_note = note
    session.add(_event(enrollment, "override", actor, note))
    session.flush()
    record(
        session,
        origin,
        "enrollment.override",
        target_type="enrollment",
        target_id=enrollment.id,
        area_code=_household_area(session, enrollment),
        details={
            "program": enrollment.program.code,
            "from": list(before),
            "to": [decision, status],
            "reason": note,
        },
    )
    if changed:
        _notify(session, enrollment.program, [enrollment])
    return enrollment


ALLOWED_MOVES = {
    S.ENROLLED: {S.SUSPENDED, S.EXITED},
    S.SUSPENDED: {S.ENROLLED, S.EXITED},
    S.POTENTIAL: {S.ENROLLED},
    S.EXITED: {S.ENROLLED},
}


def change_status(
    session: Session, enrollment: Enrollment, status: str, note: str, *, origin: Origin
) -> Enrollment:
    """Suspend, reinstate, exit or enroll by hand: who, when and why are kept."""
    if status not in ALLOWED_MOVES.get(S(enrollment.status), set()):
        raise Conflict(N_("This change of status is not possible."))
    if status == S.ENROLLED and enrollment.decision != Decision.ELIGIBLE:
        raise Conflict(
            N_("Only an eligible household can be enrolled; override the decision first.")
        )
    note = _written(note)
    actor = origin.actor_name or "system"
    previous = enrollment.status
    enrollment.status = status
    enrollment.status_changed_at = utcnow()
    enrollment.status_changed_by = actor
    enrollment.status_note = note
    session.add(_event(enrollment, "status", actor, note))
    session.flush()
    record(
        session,
        origin,
        "enrollment.status",
        target_type="enrollment",
        target_id=enrollment.id,
        area_code=_household_area(session, enrollment),
        details={
            "program": enrollment.program.code,
            "from": previous,
            "to": status,
            "reason": note,
        },
    )
    _notify(session, enrollment.program, [enrollment])
    return enrollment


def get_enrollment(session: Session, scope: Scope, enrollment_id: int) -> Enrollment:
    stmt = in_scope(
        select(Enrollment)
        .join(Household, Household.id == Enrollment.household_id)
        .options(selectinload(Enrollment.events)),
        scope,
        Household.area_id,
    ).where(Enrollment.id == enrollment_id)
    enrollment = session.scalar(stmt)
    if enrollment is None:
        raise NotFound(N_("No such enrollment."))
    return enrollment


def list_enrollments(
    session: Session,
    scope: Scope,
    program: Program,
    *,
    decision: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[Enrollment, Household]]:
    stmt = in_scope(
        select(Enrollment, Household).join(Household, Household.id == Enrollment.household_id),
        scope,
        Household.area_id,
    ).where(Enrollment.program_id == program.id)
    if decision:
        stmt = stmt.where(Enrollment.decision == decision)
    if status:
        stmt = stmt.where(Enrollment.status == status)
    stmt = stmt.order_by(Enrollment.id).limit(limit).offset(offset)
    return [(row[0], row[1]) for row in session.execute(stmt)]


def enrolled_program_codes(session: Session, household: Household) -> list[str]:
    """Codes of the programs where the household is enrolled now (for cards and status)."""
    stmt = (
        select(Program.code)
        .join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.household_id == household.id, Enrollment.status == S.ENROLLED)
        .order_by(Program.code)
    )
    return list(session.scalars(stmt))
