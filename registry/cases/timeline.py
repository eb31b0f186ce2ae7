"""Writing a case event and its audit record together: every change goes through here.

The audit record names the case and what happened, never the person or the text written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cases.models import Case, CaseEvent
from registry.db import utcnow
from registry.i18n import N_
from registry.origin import Origin


def log_case_event(
    session: Session,
    case: Case,
    kind: str,
    origin: Origin,
    *,
    text: str | None = None,
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    now = utcnow()
    event = CaseEvent(
        kind=kind,
        at=now,
        actor_id=origin.actor_id,
        actor_name=origin.actor_name,
        text=text,
        details=details or {},
    )
    case.events.append(event)
    case.updated_at = now
    session.flush()
    record(
        session,
        origin,
        f"case.{kind}",
        target_type="case",
        target_id=case.number,
        area_code=case.area.code,
        details={"status": case.status, "stage": case.stage, **(details or {})},
    )
    return event


EVENT_LABELS = {
    "opened": N_("Case opened"),
    "assigned": N_("Assigned"),
    "assessed": N_("Assessment saved"),
    "plan_item": N_("Plan changed"),
    "action_done": N_("Action done"),
    "plan_submitted": N_("Plan sent for approval"),
    "plan_approved": N_("Plan approved"),
    "referred": N_("Referral sent"),
    "referral": N_("Referral updated"),
    "visited": N_("Visit recorded"),
    "note": N_("Note"),
    "document": N_("Document added"),
    "closed": N_("Case closed"),
    "reopened": N_("Case reopened"),
    "reminded": N_("SMS reminder to the worker"),
    "escalated": N_("Overdue: supervisors alerted"),
}
REFERRAL_LABELS = {
    "sent": N_("sent"),
    "accepted": N_("accepted"),
    "given": N_("service given"),
    "refused": N_("refused"),
}
PLAN_LABELS = {
    "none": N_("no plan yet"),
    "draft": N_("draft"),
    "submitted": N_("waiting for approval"),
    "approved": N_("approved"),
}
SOURCE_LABELS = {
    "field": N_("field visit"),
    "grievance": N_("grievance"),
    "referral": N_("referral"),
}
RISK_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
