"""The retention schedule: personal data of rejected and long-closed records is removed.

The household row stays (area, status, dates, member count, sex and birth year of members), so
every aggregate count is unchanged; names, phones, national IDs, exact birth dates and the
address are gone. Old SMS bodies and phone numbers are removed too.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from registry.audit.service import record
from registry.db import utcnow
from registry.households.models import Household, HouseholdStatus
from registry.messaging.models import InboundMessage
from registry.origin import Origin
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.privacy.models import PrivacyErasure

REMOVED = "[removed]"
REJECTED_STATUSES = ("rejected",)
# Further steps of other domains (e.g. closed grievances): dotted paths of functions
# `(session, policy, now, origin) -> int` returning how many records they cleared.
RETENTION_STEPS: tuple[str, ...] = (
    "registry.grievances.retention.erase_closed_grievances",
    "registry.cases.retention.erase_closed_cases",
    "registry.grievances.recordings.clear_recordings",
)


@dataclass(frozen=True)
class RetentionPolicy:
    closed_after: timedelta = timedelta(days=5 * 365)
    rejected_after: timedelta = timedelta(days=90)
    unverified_after: timedelta = timedelta(days=365)
    messages_after: timedelta = timedelta(days=180)
    closed_grievances_after: timedelta = timedelta(days=2 * 365)


@dataclass
class RetentionReport:
    households: dict[str, int] = field(default_factory=dict)
    messages: int = 0
    other: dict[str, int] = field(default_factory=dict)

    @property
    def total_households(self) -> int:
        return sum(self.households.values())


def _due(session: Session, policy: RetentionPolicy, now: datetime) -> list[tuple[Household, str]]:
    rules: list[tuple[str, object]] = [
        (
            "closed",
            (Household.status == HouseholdStatus.INACTIVE)
            & (Household.updated_at < now - policy.closed_after),
        ),
        (
            "rejected",
            Household.status.in_(REJECTED_STATUSES)
            & (Household.updated_at < now - policy.rejected_after),
        ),
        (
            "unverified",
            (Household.status == HouseholdStatus.PENDING_VERIFICATION)
            & (Household.created_at < now - policy.unverified_after),
        ),
    ]
    erased = select(PrivacyErasure.household_id)
    due: list[tuple[Household, str]] = []
    for rule, condition in rules:
        stmt = (
            select(Household)
            .options(selectinload(Household.members))
            .where(condition, Household.id.not_in(erased))  # type: ignore[arg-type]
            .order_by(Household.id)
        )
        due.extend((household, rule) for household in session.scalars(stmt))
    return due


def erase_household(session: Session, household: Household, rule: str, *, origin: Origin) -> None:
    """Removes the personal data of one household, keeping what the statistics count."""
    for person in household.members:
        person.given_name = REMOVED
        person.family_name = REMOVED
        person.phone = None
        person.national_id = None
        person.birth_date = None
    household.address = None
    session.add(PrivacyErasure(household_id=household.id, rule=rule))
    record(
        session,
        origin,
        "retention.erase",
        target_type="household",
        target_id=household.number,
        area_code=household.area.code,
        details={"rule": rule, "members": len(household.members)},
    )


def _clear_messages(session: Session, before: datetime) -> int:
    done = (OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.FAILED, OutboxStatus.SKIPPED)
    outbound = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.created_at < before, OutboxMessage.status.in_(done))
        .where(or_(OutboxMessage.body != REMOVED, OutboxMessage.to_phone != ""))
        .values(body=REMOVED, to_phone="")
    )
    inbound = session.execute(
        update(InboundMessage)
        .where(InboundMessage.received_at < before, InboundMessage.body != REMOVED)
        .values(body=REMOVED, from_phone="")
    )
    return int(outbound.rowcount or 0) + int(inbound.rowcount or 0)  # type: ignore[attr-defined]


def run_retention(
    session: Session,
    *,
    origin: Origin,
    policy: RetentionPolicy | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
) -> RetentionReport:
    """Applies the schedule once; with `dry_run` it only counts what would be removed."""
    policy = policy or RetentionPolicy()
    now = now or utcnow()
    report = RetentionReport()
    for household, rule in _due(session, policy, now):
        report.households[rule] = report.households.get(rule, 0) + 1
        if not dry_run:
            erase_household(session, household, rule, origin=origin)
    if not dry_run:
        report.messages = _clear_messages(session, now - policy.messages_after)
        for dotted in RETENTION_STEPS:
            module_name, _, name = dotted.rpartition(".")
            step: Callable[..., int] = getattr(importlib.import_module(module_name), name)
            report.other[dotted] = step(session, policy, now, origin)
        record(
            session,
            origin,
            "retention.run",
            details={"households": report.households, "messages": report.messages},
        )
        session.flush()
    return report
