"""Retention for closed cases: after the schedule's `closed_after`, what was written about
the person (reason, assessment answers, notes, visit notes, documents) is removed. The case
row stays with its type, area, dates, risk and closure reason, so figures do not change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cases.models import Case
from registry.origin import Origin

REMOVED = "[removed]"


def erase_case(session: Session, case: Case, now: datetime, *, origin: Origin) -> None:
    case.reason = REMOVED
    case.assessment = None
    case.referred_by = None
    case.person_id = None
    for event in case.events:
        if event.text:
            event.text = REMOVED
    for visit in case.visits:
        visit.notes = REMOVED
    for referral in case.referrals:
        referral.note = None
    for item in case.plan_items:
        item.text = REMOVED
    for document in case.documents:
        document.data = None
    case.erased_at = now
    record(
        session,
        origin,
        "retention.erase_case",
        target_type="case",
        target_id=case.number,
        area_code=case.area.code,
        details={"type": case.case_type.code},
    )


def erase_closed_cases(session: Session, policy: object, now: datetime, origin: Origin) -> int:
    """A step of `kinga retention run` (registry.privacy.retention.RETENTION_STEPS)."""
    cutoff = now - policy.closed_after  # type: ignore[attr-defined]
    due = session.scalars(
        select(Case)
        .where(Case.status == "closed", Case.closed_at < cutoff, Case.erased_at.is_(None))
        .order_by(Case.id)
    )
    count = 0
    for case in list(due):
        erase_case(session, case, now, origin=origin)
        count += 1
    session.flush()
    return count
