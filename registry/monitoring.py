"""What an operator watches, read from the database: SMS by state and the age of the oldest
unsent one, jobs by state, USSD sessions by outcome, login failures, the audit chain's length
and the last verification's verdict. `/metrics` and `kinga doctor` both read it here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.jobs.models import Job
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.selfservice.models import UssdSession

LOGIN_FAILURES = ("login.failed", "login.refused_locked")
UNSENT = (OutboxStatus.QUEUED, OutboxStatus.SENDING)


@dataclass
class Snapshot:
    sms: dict[str, int] = field(default_factory=dict)  # status -> messages ("retrying" apart)
    oldest_unsent_seconds: float = 0.0
    jobs: dict[str, int] = field(default_factory=dict)
    ussd_sessions: dict[str, int] = field(default_factory=dict)
    login_failures: int = 0
    audit_length: int = 0
    last_verification_ok: bool | None = None


def _sms(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    retrying = and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.attempts > 0)
    for status, again, count in session.execute(
        select(OutboxMessage.status, retrying, func.count()).group_by(
            OutboxMessage.status, retrying
        )
    ):
        key = "retrying" if again else str(status)
        counts[key] = counts.get(key, 0) + int(count)
    for status in (*OutboxStatus, "retrying"):
        counts.setdefault(str(status), 0)
    return counts


def _last_verification(session: Session) -> bool | None:
    details = session.scalar(
        select(AuditEvent.details)
        .where(AuditEvent.action == "audit.verify")
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    return None if details is None else bool(details.get("ok"))


def snapshot(session: Session, now: datetime) -> Snapshot:
    oldest = session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(UNSENT))
    )
    if oldest is not None and oldest.tzinfo is None:
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return Snapshot(
        sms=_sms(session),
        oldest_unsent_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        jobs={
            str(state): int(count)
            for state, count in session.execute(select(Job.state, func.count()).group_by(Job.state))
        },
        ussd_sessions={
            str(outcome): int(count)
            for outcome, count in session.execute(
                select(UssdSession.outcome, func.count()).group_by(UssdSession.outcome)
            )
        },
        login_failures=int(
            session.scalar(select(func.count()).where(AuditEvent.action.in_(LOGIN_FAILURES))) or 0
        ),
        audit_length=int(session.scalar(select(func.max(AuditEvent.seq))) or 0),
        last_verification_ok=_last_verification(session),
    )
