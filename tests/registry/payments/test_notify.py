"""People are told: payment sent and goods ready fit 2 segments in every language; status
screens show the last and next payment from real entitlements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.outbox.models import OutboxMessage
from registry.outbox.service import render_sms
from registry.payments.models import Entitlement, EntitlementStatus
from registry.payments.notify import GOODS_READY, PAYMENT_SENT, SAMPLES, tell_payments_sent
from registry.programs.status import household_status
from registry.settings import DEFAULT_LANGUAGES
from tests.payments.world import cash_world
from tests.registry.payments.test_cash_path import _approve, _open, _people
from tests.registry.programs.test_sms_texts import longest_names, two_segments


@pytest.mark.parametrize("language", DEFAULT_LANGUAGES)
@pytest.mark.parametrize("msgid", [PAYMENT_SENT, GOODS_READY])
def test_payment_sms_fit_two_segments(language: str, msgid: str) -> None:
    params = {**SAMPLES[msgid], "program": longest_names()[language]}
    text = render_sms(language, msgid, **params)
    assert str(params["date"]) in text and str(params.get("reference", "")) in text
    assert two_segments(text), (language, len(text), text)
    if language != "en":
        assert text != render_sms("en", msgid, **params)


def test_told_once_and_status_shows_last_and_next(db_session: Session) -> None:
    world = cash_world(db_session, per_region=1)
    manager, finance = _people(db_session)
    march = _open(db_session, world, manager, "2026-03")
    _approve(db_session, march, finance)
    household = world.households[0]
    view = household_status(db_session, household, "sw", today=date(2026, 3, 1))
    assert view.next_payment is not None and view.next_payment.amount == Decimal("1500.00")
    assert view.last_payment is None
    entitlements = list(
        db_session.scalars(select(Entitlement).where(Entitlement.cycle_id == march.id))
    )
    for e in entitlements:
        e.status = EntitlementStatus.SENT
    assert tell_payments_sent(db_session, march, entitlements, today=date(2026, 3, 3)) == 2
    assert tell_payments_sent(db_session, march, entitlements, today=date(2026, 3, 3)) == 0
    sms = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "payments.sent")
    ).all()
    assert len(sms) == 2 and sms[0].language == "sw" and "1,500.00 KES" in sms[0].body
    from registry.db import utcnow

    for e in entitlements:
        e.status, e.paid_amount, e.paid_at = EntitlementStatus.PAID, e.amount, utcnow()
    db_session.flush()
    view = household_status(db_session, household, "en", today=date(2026, 3, 10))
    assert view.last_payment is not None and view.last_payment.amount == Decimal("1500.00")
