"""A "payment not received" grievance, linked to the complainant's entitlements.

The link is found from who complained: the person named in the grievance (their household's
entitlements) or, failing that, the phone the payments were sent to. The officer sees each
entitlement's payment history next to the complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.grievances.models import Grievance
from registry.households.models import Person
from registry.payments.models import CycleStatus, Entitlement, PaymentCycle, PaymentEvent

PAYMENT_CATEGORIES = ("payment_missing",)
SHOWN = 3


@dataclass(frozen=True)
class LinkedPayment:
    entitlement: Entitlement
    cycle: PaymentCycle
    events: list[PaymentEvent]


def is_payment_grievance(grievance: Grievance) -> bool:
    category = grievance.category
    return category.code in PAYMENT_CATEGORIES or (
        category.parent is not None and category.parent.code in PAYMENT_CATEGORIES
    )


def linked_payments(session: Session, grievance: Grievance) -> list[LinkedPayment]:
    """The complainant's latest entitlements of approved cycles, with their payment history."""
    if not is_payment_grievance(grievance):
        return []
    who = []
    if grievance.person_id is not None:
        household = session.scalar(
            select(Person.household_id).where(Person.id == grievance.person_id)
        )
        if household is not None:
            who.append(Entitlement.household_id == household)
    if grievance.complainant_phone:
        who.append(Entitlement.payee_phone == grievance.complainant_phone)
    if not who:
        return []
    rows = session.execute(
        select(Entitlement, PaymentCycle)
        .join(PaymentCycle, PaymentCycle.id == Entitlement.cycle_id)
        .where(
            or_(*who),
            PaymentCycle.status.in_((CycleStatus.APPROVED, CycleStatus.CLOSED)),
            Entitlement.area_id == grievance.area_id,
        )
        .order_by(PaymentCycle.period.desc(), Entitlement.id.desc())
        .limit(SHOWN)
    ).all()
    linked = []
    for entitlement, cycle in rows:
        events = list(
            session.scalars(
                select(PaymentEvent)
                .where(PaymentEvent.entitlement_id == entitlement.id)
                .order_by(PaymentEvent.id)
            )
        )
        linked.append(LinkedPayment(entitlement, cycle, events))
    return linked
