"""Registry events for partners, written in the transaction of the change that caused them.

A flush that adds a household (REGISTER) or an enrollment event that enrolls (ENROLL) or exits
(EXIT) notes the event; just before the transaction commits, one delivery row per matching
subscription is added to the same transaction. Nothing is owed for a change that rolled back,
and the reference (`notify:<subscription>:<event key>`) makes each notification unique.
Other domains (payments) call `emit(...)` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household
from registry.partners.clients import client_scope, is_usable
from registry.partners.models import PartnerDelivery, PartnerSubscription
from registry.programs.models import EnrollmentEvent, EnrollmentStatus, Program

_KEY = "kinga_partner_events"


@dataclass(frozen=True)
class RegistryEvent:
    event_type: str  # REGISTER, ENROLL, EXIT, PAYMENT
    household_id: int
    key: str  # unique per event, e.g. "household:12"
    program_id: int | None = None


def emit(session: Session, registry_event: RegistryEvent) -> None:
    session.info.setdefault(_KEY, []).append(registry_event)


def _after_flush(session: Session, _context: Any) -> None:
    for obj in session.new:
        if isinstance(obj, Household):
            emit(session, RegistryEvent("REGISTER", obj.id, f"household:{obj.id}"))
        elif isinstance(obj, EnrollmentEvent) and obj.kind in ("decision", "status", "override"):
            kind = {EnrollmentStatus.ENROLLED: "ENROLL", EnrollmentStatus.EXITED: "EXIT"}.get(
                obj.status  # type: ignore[call-overload]
            )
            if kind is not None:
                enrollment = obj.enrollment
                emit(
                    session,
                    RegistryEvent(
                        kind,
                        enrollment.household_id,
                        f"enrollment-event:{obj.id}",
                        enrollment.program_id,
                    ),
                )


def _before_commit(session: Session) -> None:
    pending: list[RegistryEvent] = session.info.pop(_KEY, [])
    if pending:
        fan_out(session, pending)


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def fan_out(session: Session, events: list[RegistryEvent]) -> int:
    """One delivery per (subscription, event) the agreement allows; returns how many."""
    types = {e.event_type for e in events}
    subscriptions = [
        s
        for s in session.scalars(select(PartnerSubscription).where(PartnerSubscription.active))
        if set(s.event_types) & types and is_usable(s.client)
    ]
    if not subscriptions:
        return 0
    households = {
        h.id: h
        for h in session.scalars(
            select(Household).where(Household.id.in_({e.household_id for e in events}))
        )
    }
    programs = {row[0]: row[1] for row in session.execute(select(Program.id, Program.code))}
    added: list[PartnerDelivery] = []
    for registry_event in events:
        household = households.get(registry_event.household_id)
        if household is None:
            continue
        for subscription in subscriptions:
            if not _matches(subscription, registry_event, household.area, programs):
                continue
            reference = f"notify:{subscription.code}:{registry_event.key}"
            exists = select(PartnerDelivery.id).where(PartnerDelivery.reference == reference)
            if session.scalar(exists) is not None:
                continue
            delivery = PartnerDelivery(
                reference=reference,
                client_id=subscription.client_id,
                kind="notify",
                url=subscription.callback_url,
                subscription_id=subscription.id,
                event_type=registry_event.event_type,
                household_id=household.id,
            )
            session.add(delivery)
            added.append(delivery)
    session.flush()
    from registry.partners.jobs import submit_delivery  # the job module imports this one

    submit_delivery(session, added)
    return len(added)


def _matches(
    subscription: PartnerSubscription,
    registry_event: RegistryEvent,
    area: Area,
    programs: dict[int, str],
) -> bool:
    if registry_event.event_type not in subscription.event_types:
        return False
    if not client_scope(subscription.client).covers(area):
        return False
    if subscription.area is not None and not area.path.startswith(subscription.area.path):
        return False
    if subscription.program_code is not None:
        return programs.get(registry_event.program_id or 0) == subscription.program_code
    return True


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_rollback", _after_rollback)
