"""What is due on a case: its next visit, open actions of the plan and pending referrals."""

from __future__ import annotations

from datetime import date

from registry.cases.models import Case

PENDING_REFERRALS = ("sent", "accepted")


def due_dates(case: Case) -> list[date]:
    dates = [case.next_visit_on] if case.next_visit_on else []
    dates += [i.due_on for i in case.plan_items if i.due_on and i.done_at is None]
    dates += [r.due_on for r in case.referrals if r.status in PENDING_REFERRALS]
    return dates


def refresh_due(case: Case) -> None:
    """Keeps `next_due_on` (what caseload lists sort on) in step with the case's work."""
    dates = due_dates(case) if case.status == "open" else []
    case.next_due_on = min(dates) if dates else None


def overdue_items(case: Case, today: date) -> int:
    """How many things of an open case are late today."""
    if case.status != "open":
        return 0
    return sum(1 for d in due_dates(case) if d < today)
