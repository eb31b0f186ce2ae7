"""Overdue case work (visits, plan actions, referrals) drives SMS reminders, through the
same machinery as grievance escalation: the outbox for the messages, the office hierarchy
(`registry.grievances.offices.staffed_area`) to find who answers above, and rows other runs
hold are skipped. It runs with `kinga grievances escalate` (every minute from cron) and on
its own as `kinga cases remind`.

An overdue date is reminded once to the assigned worker; when it stays overdue for
`ESCALATE_AFTER_DAYS` (or the case has no worker) the case supervisors of the nearest staffed
area get it too. The messages carry the case number only, never a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.cases.models import Case
from registry.cases.timeline import log_case_event
from registry.grievances.offices import staffed_area
from registry.i18n import N_
from registry.origin import Origin
from registry.outbox.service import queue_sms
from registry.users.models import User
from registry.users.roles import Permission, can

ESCALATE_AFTER_DAYS = 3
WORKER_REMINDER = N_(
    "Kinga: case %(number)s has work that was due on %(date)s. Please visit or update it."
)
SUPERVISOR_ALERT = N_("Kinga: case %(number)s has work overdue since %(date)s. Worker: %(worker)s.")
NOBODY = N_("nobody assigned")


def is_case_supervisor(user: User) -> bool:
    return user.active and bool(user.phone) and can(user.roles, Permission.CASE_SUPERVISE)


@dataclass
class ReminderRun:
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)


def _sms(session: Session, user: User, msgid: str, case: Case, **params: object) -> None:
    assert user.phone
    queue_sms(
        session,
        to_phone=user.phone,
        language=user.language,
        msgid=msgid,
        template="case.reminder",
        params={"number": case.number, **params},
        related_type="case",
        related_id=case.number,
    )


def remind_overdue(session: Session, *, today: date | None = None, limit: int = 500) -> ReminderRun:
    today = today or date.today()
    origin = Origin.system("cases.remind")
    overdue = session.scalars(
        select(Case)
        .where(Case.status == "open", Case.next_due_on < today)
        .order_by(Case.next_due_on)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Case)
    )
    run = ReminderRun()
    supervisors: dict[tuple[int, bool], list[User]] = {}
    for case in list(overdue):
        due = case.next_due_on
        assert due is not None
        worker = case.worker if case.worker is not None and case.worker.active else None
        if worker is not None and worker.phone and case.reminded_for != due:
            _sms(session, worker, WORKER_REMINDER, case, date=due.isoformat())
            case.reminded_for = due
            run.reminded.append(case.number)
            log_case_event(session, case, "reminded", origin, details={"due": due.isoformat()})
        late_enough = worker is None or today - due >= timedelta(days=ESCALATE_AFTER_DAYS)
        if late_enough and case.escalated_for != due:
            area = staffed_area(session, case.area, cache=supervisors, qualifies=is_case_supervisor)
            if area is None:
                continue
            name = worker.full_name if worker is not None else None
            for supervisor in supervisors[(area.id, False)]:
                params = {"date": due.isoformat(), "worker": name}
                if name is None:
                    from registry.i18n import translate

                    params["worker"] = translate(supervisor.language, NOBODY)
                _sms(session, supervisor, SUPERVISOR_ALERT, case, **params)
            case.escalated_for = due
            run.escalated.append(case.number)
            log_case_event(
                session,
                case,
                "escalated",
                origin,
                details={"due": due.isoformat(), "to_area": area.code},
            )
    return run


def sweep(session: Session, now: object = None) -> int:
    """The hook `kinga grievances escalate` calls: how many cases got a message."""
    run = remind_overdue(session)
    return len(set(run.reminded) | set(run.escalated))
