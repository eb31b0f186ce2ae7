"""What a case worker and a supervisor do on a case. Each action checks who acts and the
case's state, writes a timeline event with its audit record, and keeps the due dates right."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.cases import types
from registry.cases.access import (
    CaseViewer,
    find_case,
    require_actor,
    require_supervisor,
)
from registry.cases.intake import clean_text
from registry.cases.models import Case, CasePlanItem, CaseReferral, CaseSubmission, CaseVisit
from registry.cases.schedule import PENDING_REFERRALS, refresh_due
from registry.cases.timeline import log_case_event
from registry.db import utcnow
from registry.errors import Conflict, Forbidden, InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.submissions.service import KEY_PATTERN
from registry.users.models import User
from registry.users.roles import Permission, can

REFERRAL_STATUSES = ("sent", "accepted", "given", "refused")
REFERRAL_NEXT = {"sent": ("accepted", "refused"), "accepted": ("given", "refused")}


def _open_case(session: Session, viewer: CaseViewer, number: str) -> Case:
    case = find_case(session, viewer, number)
    if case.status != "open":
        raise Conflict(N_("This case is closed."))
    require_actor(viewer, case)
    return case


def _key(key: str) -> str:
    if not KEY_PATTERN.match(key or ""):
        raise InvalidInput(N_("This submission has no valid key."), field="submission_key")
    return key


def _claim_key(session: Session, key: str, kind: str, case: Case, origin: Origin) -> bool:
    """True when `key` is new (and now taken); False when this submission was already saved."""
    if session.get(CaseSubmission, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                CaseSubmission(key=key, kind=kind, case_id=case.id, user_id=origin.actor_id)
            )
            session.flush()
    except IntegrityError:
        return False
    return True


# --- assignment --------------------------------------------------------------------------


def case_workers_for(session: Session, case: Case) -> list[User]:
    """Active users who may be given this case: case handlers whose areas cover it."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
    return [
        u
        for u in users
        if can(u.roles, Permission.CASE_HANDLE)
        and any(case.area.path.startswith(a.path) for a in u.areas)
    ]


def assign_case(
    session: Session, viewer: CaseViewer, number: str, worker_id: int, *, origin: Origin
) -> Case:
    require_supervisor(viewer)
    case = _open_case(session, viewer, number)
    worker = next((u for u in case_workers_for(session, case) if u.id == worker_id), None)
    if worker is None:
        raise InvalidInput(N_("This person cannot take cases of this area."), field="worker")
    case.worker = worker
    log_case_event(session, case, "assigned", origin, details={"worker": worker.username})
    return case


# --- assessment --------------------------------------------------------------------------


def record_assessment(
    session: Session,
    viewer: CaseViewer,
    number: str,
    answers: Mapping[str, Any],
    key: str,
    *,
    origin: Origin,
) -> tuple[Case, bool]:
    """Saves the clean answers of the case type's assessment form; (case, saved now)."""
    case = _open_case(session, viewer, number)
    if not _claim_key(session, _key(key), "assessment", case, origin):
        return case, False
    risk = answers.get(types.RISK_FIELD)
    if not types.is_code(case.case_type, "risk_levels", risk):
        raise InvalidInput(N_("Choose one of the answers in the list."), field=types.RISK_FIELD)
    case.assessment = {k: v for k, v in answers.items() if k != types.RISK_FIELD}
    case.assessed_at = utcnow()
    case.risk = risk
    if case.plan_status != "approved":
        case.stage = types.stage_for(case.case_type, "assessed")
    refresh_due(case)
    log_case_event(session, case, "assessed", origin, details={"risk": risk})
    return case, True


# --- the plan ----------------------------------------------------------------------------


def add_plan_item(
    session: Session,
    viewer: CaseViewer,
    number: str,
    kind: str,
    text: str,
    due_on: date | None,
    *,
    origin: Origin,
    today: date | None = None,
) -> Case:
    """A goal, or an action with a due date. A changed plan needs approval again."""
    case = _open_case(session, viewer, number)
    if case.assessed_at is None:
        raise Conflict(N_("Assess the case before planning."))
    if kind not in ("goal", "action"):
        raise InvalidInput(N_("Choose a goal or an action."), field="kind")
    if kind == "action" and due_on is None:
        raise InvalidInput(N_("An action needs a due date."), field="due_on")
    if due_on is not None and due_on < (today or date.today()):
        raise InvalidInput(N_("The due date cannot be in the past."), field="due_on")
    case.plan_items.append(
        CasePlanItem(kind=kind, text=clean_text(text, "text", limit=500), due_on=due_on)
    )
    if case.plan_status in ("submitted", "approved"):
        case.plan_status = "draft"
    elif case.plan_status == "none":
        case.plan_status = "draft"
    session.flush()
    refresh_due(case)
    log_case_event(session, case, "plan_item", origin, details={"kind": kind})
    return case


def complete_action(
    session: Session, viewer: CaseViewer, number: str, item_id: int, *, origin: Origin
) -> Case:
    case = _open_case(session, viewer, number)
    item = next((i for i in case.plan_items if i.id == item_id and i.done_at is None), None)
    if item is None:
        raise InvalidInput(N_("Choose an open action of this plan."), field="item")
    item.done_at = utcnow()
    refresh_due(case)
    log_case_event(session, case, "action_done", origin, text=item.text)
    return case


def submit_plan(session: Session, viewer: CaseViewer, number: str, *, origin: Origin) -> Case:
    case = _open_case(session, viewer, number)
    if case.plan_status != "draft" or not any(i.kind == "goal" for i in case.plan_items):
        raise Conflict(N_("A plan needs at least one goal before it is sent for approval."))
    case.plan_status = "submitted"
    case.plan_submitted_by_id = origin.actor_id
    log_case_event(session, case, "plan_submitted", origin)
    return case


def approve_plan(session: Session, viewer: CaseViewer, number: str, *, origin: Origin) -> Case:
    """A supervisor approves the plan someone else submitted; the case moves to follow-up."""
    require_supervisor(viewer)
    case = _open_case(session, viewer, number)
    if case.plan_status != "submitted":
        raise Conflict(N_("There is no plan waiting for approval."))
    if case.plan_submitted_by_id is not None and case.plan_submitted_by_id == origin.actor_id:
        raise Forbidden(N_("Another supervisor must approve a plan you submitted."))
    case.plan_status = "approved"
    case.plan_approved_by_id = origin.actor_id
    case.plan_approved_at = utcnow()
    case.stage = types.stage_for(case.case_type, "plan_approved")
    log_case_event(session, case, "plan_approved", origin)
    return case


# --- referrals ---------------------------------------------------------------------------


def refer(
    session: Session,
    viewer: CaseViewer,
    number: str,
    service: str,
    provider: str,
    note: str | None,
    *,
    origin: Origin,
    today: date | None = None,
) -> CaseReferral:
    case = _open_case(session, viewer, number)
    if not types.is_code(case.case_type, "services", service):
        raise InvalidInput(N_("Choose a service from the list."), field="service")
    days = case.case_type.definition["referral_response_days"]
    referral = CaseReferral(
        service=service,
        provider=clean_text(provider, "provider", limit=120),
        note=clean_text(note, "note", required=False, limit=500) or None,
        status="sent",
        due_on=(today or date.today()) + timedelta(days=days),
    )
    case.referrals.append(referral)
    session.flush()
    refresh_due(case)
    log_case_event(
        session, case, "referred", origin, details={"service": service, "referral": referral.id}
    )
    return referral


def update_referral(
    session: Session,
    viewer: CaseViewer,
    number: str,
    referral_id: int,
    status: str,
    *,
    origin: Origin,
    today: date | None = None,
) -> CaseReferral:
    """sent -> accepted -> service given; sent or accepted -> refused."""
    case = _open_case(session, viewer, number)
    referral = next((r for r in case.referrals if r.id == referral_id), None)
    if referral is None:
        raise InvalidInput(N_("Choose a referral of this case."), field="referral")
    if status not in REFERRAL_NEXT.get(referral.status, ()):
        raise Conflict(N_("This referral cannot move to that status."))
    previous = referral.status
    referral.status = status
    referral.updated_at = utcnow()
    if status == "accepted":
        days = case.case_type.definition["referral_response_days"]
        referral.due_on = (today or date.today()) + timedelta(days=days)
    refresh_due(case)
    log_case_event(
        session,
        case,
        "referral",
        origin,
        details={"referral": referral.id, "from": previous, "to": status},
    )
    return referral


# --- visits and notes --------------------------------------------------------------------


def record_visit(
    session: Session,
    viewer: CaseViewer,
    number: str,
    *,
    key: str,
    visited_on: date,
    met_person: bool,
    risk: str | None,
    notes: str,
    origin: Origin,
    today: date | None = None,
) -> tuple[CaseVisit, bool]:
    """(visit, created): a visit recorded on the phone, once per submission key.

    The next visit falls due after the interval of the case's risk level.
    """
    today = today or date.today()
    case = find_case(session, viewer, number)
    existing = session.scalar(select(CaseVisit).where(CaseVisit.submission_key == _key(key)))
    if existing is not None:
        if existing.case_id != case.id:
            raise Conflict(N_("This submission key was used for another case."))
        return existing, False
    if case.status != "open":
        raise Conflict(N_("This case is closed."))
    require_actor(viewer, case)
    if visited_on > today or visited_on < today - timedelta(days=60):
        raise InvalidInput(
            N_("Give the date of the visit (within the last 60 days)."), field="visited_on"
        )
    if risk and not types.is_code(case.case_type, "risk_levels", risk):
        raise InvalidInput(N_("Choose one of the answers in the list."), field="risk")
    visit = CaseVisit(
        submission_key=key,
        visited_on=visited_on,
        met_person=met_person,
        risk=risk or None,
        notes=clean_text(notes, "notes", required=False),
        recorded_by_id=origin.actor_id,
    )
    try:
        with session.begin_nested():
            case.visits.append(visit)
            session.flush()
    except IntegrityError:
        # Another request with the same key won the race: its visit is the one.
        winner = session.scalar(select(CaseVisit).where(CaseVisit.submission_key == key))
        if winner is None:
            raise
        return winner, False
    if risk:
        case.risk = risk
    case.next_visit_on = visited_on + timedelta(
        days=types.visit_interval(case.case_type, case.risk)
    )
    refresh_due(case)
    log_case_event(session, case, "visited", origin, details={"met": met_person, "risk": case.risk})
    return visit, True


def add_note(
    session: Session, viewer: CaseViewer, number: str, text: str, *, origin: Origin
) -> Case:
    """Readers of a case (e.g. safeguarding officers) may note on it too."""
    case = find_case(session, viewer, number)
    log_case_event(session, case, "note", origin, text=clean_text(text, "text"))
    return case


# --- closing and reopening -----------------------------------------------------------------


def close_case(
    session: Session, viewer: CaseViewer, number: str, reason: str, note: str, *, origin: Origin
) -> Case:
    case = _open_case(session, viewer, number)
    if not types.is_code(case.case_type, "closure_reasons", reason):
        raise InvalidInput(N_("Choose a reason for closing."), field="reason")
    case.status = "closed"
    case.stage = types.stage_for(case.case_type, "closed")
    case.close_reason = reason
    case.closed_at = utcnow()
    pending = [r for r in case.referrals if r.status in PENDING_REFERRALS]
    refresh_due(case)
    log_case_event(
        session,
        case,
        "closed",
        origin,
        text=clean_text(note, "note", required=False) or None,
        details={"reason": reason, "pending_referrals": len(pending)},
    )
    return case


def reopen_case(
    session: Session,
    viewer: CaseViewer,
    number: str,
    reason: str,
    *,
    origin: Origin,
    today: date | None = None,
) -> Case:
    """Back to work at the stage it had reached, with a visit due soon."""
    case = find_case(session, viewer, number)
    if case.status != "closed":
        raise Conflict(N_("This case is open."))
    if case.erased_at is not None:
        raise Conflict(N_("This case's personal data was removed by the retention schedule."))
    require_actor(viewer, case)
    text = clean_text(reason, "text")
    event = (
        "plan_approved"
        if case.plan_status == "approved"
        else ("assessed" if case.assessed_at else "opened")
    )
    case.status = "open"
    case.stage = types.stage_for(case.case_type, event)
    case.close_reason = None
    case.closed_at = None
    days = case.case_type.definition["first_visit_within_days"]
    case.next_visit_on = (today or date.today()) + timedelta(days=days)
    refresh_due(case)
    log_case_event(session, case, "reopened", origin, text=text)
    return case
