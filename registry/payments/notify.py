"""Telling people: an SMS when a payment is sent or goods are ready (when, where, how much).

Each entitlement is told once (`notified_at`), in the payee's language, through the outbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.distribution.models import DistributionPoint
from registry.households.models import Person
from registry.i18n import N_
from registry.origin import Origin
from registry.outbox.service import queue_sms
from registry.payments.models import Entitlement, EntitlementStatus, PaymentCycle
from registry.programs.status import items_text

PAYMENT_SENT = N_(
    "Kinga: %(program)s sent %(amount)s to your mobile money on %(date)s. Ref %(reference)s"
)
GOODS_READY = N_("Kinga: %(program)s: %(items)s at %(place)s from %(date)s. Bring your card.")
# Sample values as long as real ones get, for the test that every language fits 2 segments.
SAMPLES: dict[str, dict[str, object]] = {
    PAYMENT_SENT: {
        "amount": "12,500.00 KES",
        "program": "Cash for families with children",
        "date": "2026-12-15",
        "reference": "C12345-123456782",
    },
    GOODS_READY: {
        "program": "Food basket",
        "place": "Mji Mpya primary school",
        "date": "2026-12-15",
        "items": "20 kg maize flour, 2 L cooking oil",
    },
}


def _languages(session: Session, entitlements: Iterable[Entitlement]) -> dict[int, str]:
    ids = [e.payee_person_id for e in entitlements if e.payee_person_id]
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.language).where(Person.id.in_(ids))).all())


def tell_payments_sent(
    session: Session,
    cycle: PaymentCycle,
    entitlements: list[Entitlement],
    *,
    today: date,
    adjustments: dict[int, Decimal] | None = None,
) -> int:
    """Queues 'payment sent' for entitlements the provider accepted and nobody told yet."""
    fresh = [
        e
        for e in entitlements
        if e.status == EntitlementStatus.SENT and e.payee_phone and e.notified_at is None
    ]
    languages = _languages(session, fresh)
    for entitlement in fresh:
        language = languages.get(entitlement.payee_person_id or 0, "en")
        owed = entitlement.amount + (adjustments or {}).get(entitlement.id, Decimal(0))
        queue_sms(
            session,
            to_phone=entitlement.payee_phone or "",
            language=language,
            msgid=PAYMENT_SENT,
            template="payments.sent",
            params={
                "amount": f"{owed:,.2f} {entitlement.currency}",
                "program": cycle.program.name_in(language),
                "date": today.isoformat(),
                "reference": entitlement.reference,
            },
            related_type="entitlement",
            related_id=entitlement.reference,
        )
        entitlement.notified_at = utcnow()
    session.flush()
    return len(fresh)


def tell_goods_ready(
    session: Session,
    cycle: PaymentCycle,
    point: DistributionPoint,
    entitlements: list[Entitlement],
    *,
    ready_from: date,
    origin: Origin,
) -> int:
    """Queues 'goods ready' for the point's households not told yet; returns how many."""
    fresh = [
        e
        for e in entitlements
        if e.status == EntitlementStatus.DUE and e.payee_phone and e.notified_at is None
    ]
    languages = _languages(session, fresh)
    for entitlement in fresh:
        language = languages.get(entitlement.payee_person_id or 0, "en")
        queue_sms(
            session,
            to_phone=entitlement.payee_phone or "",
            language=language,
            msgid=GOODS_READY,
            template="distribution.ready",
            params={
                "program": cycle.program.name_in(language),
                "place": point.name,
                "date": ready_from.isoformat(),
                "items": items_text(entitlement.items, language) or "",
            },
            related_type="entitlement",
            related_id=entitlement.reference,
        )
        entitlement.notified_at = utcnow()
    session.flush()
    record(
        session,
        origin,
        "distribution.told_ready",
        target_type="distribution_point",
        target_id=point.code,
        details={"cycle": cycle.id, "messages": len(fresh), "from": ready_from.isoformat()},
    )
    return len(fresh)
