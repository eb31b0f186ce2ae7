"""Inbound dedupe, delivery monotonicity, retry backoff, opt-out in the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from registry.messaging.delivery import record_delivery
from registry.messaging.inbound import store_inbound
from registry.messaging.optout import is_opted_out, opt_in, opt_out
from registry.messaging.retry import MAX_ATTEMPTS, next_attempt_at, retry_delay
from registry.origin import Origin
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.outbox.service import OPT_OUT_CONFIRMATION, queue_sms, queue_text

PHONE = "+254712345678"


def test_inbound_is_stored_once_per_provider_id(db_session: Session) -> None:
    args = {"from_phone": PHONE, "to": "20880", "body": "HELP"}
    first = store_inbound(db_session, provider="twilio", provider_message_id="SM1", **args)
    assert first is not None
    assert store_inbound(db_session, provider="twilio", provider_message_id="SM1", **args) is None
    # The same id from another gateway is another message.
    assert store_inbound(db_session, provider="africastalking", provider_message_id="SM1", **args)


def test_retry_delay_grows_exponentially_and_is_capped() -> None:
    delays = [retry_delay(n, jitter=0.0).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240]
    assert max(delays) == 3600
    assert retry_delay(1, jitter=0.2) == timedelta(seconds=36)
    assert next_attempt_at(MAX_ATTEMPTS) is None
    assert next_attempt_at(1) is not None


def _sent(db_session: Session, provider_id: str) -> OutboxMessage:
    message = OutboxMessage(
        to_phone=PHONE,
        body="x",
        language="en",
        template="t",
        status=OutboxStatus.SENDING,
    )
    db_session.add(message)
    db_session.flush()
    message.status, message.provider, message.provider_message_id = "sent", "p", provider_id
    db_session.flush()
    return message


def test_delivery_never_goes_backwards(db_session: Session) -> None:
    message = _sent(db_session, "id-1")
    assert record_delivery(db_session, "p", "id-1", OutboxStatus.DELIVERED)
    assert not record_delivery(db_session, "p", "id-1", OutboxStatus.SENT)
    assert not record_delivery(db_session, "p", "id-1", OutboxStatus.FAILED, "late")
    assert message.status == OutboxStatus.DELIVERED and message.error is None
    assert not record_delivery(db_session, "p", "unknown", OutboxStatus.DELIVERED)
    assert not record_delivery(db_session, "other", "id-1", OutboxStatus.DELIVERED)


def test_opted_out_numbers_get_skipped_rows_except_the_confirmation(db_session: Session) -> None:
    opt_out(db_session, PHONE, origin=Origin.system())
    assert is_opted_out(db_session, PHONE)
    skipped = queue_sms(db_session, to_phone=PHONE, language="en", msgid="Hello", template="any")
    confirmation = queue_text(
        db_session, to_phone=PHONE, language="en", body="bye", template=OPT_OUT_CONFIRMATION
    )
    other = queue_sms(
        db_session, to_phone="+254722000111", language="en", msgid="Hello", template="any"
    )
    assert (skipped.status, skipped.error) == (OutboxStatus.SKIPPED, "opted_out")
    assert confirmation.status == other.status == OutboxStatus.QUEUED
    opt_in(db_session, PHONE, origin=Origin.system())
    assert not is_opted_out(db_session, PHONE)


def test_queued_text_is_transliterated_where_the_language_allows(db_session: Session) -> None:
    pt = queue_text(db_session, to_phone=PHONE, language="pt", body="Atenção: já", template="t")
    ar = queue_text(db_session, to_phone=PHONE, language="ar", body="تم التسجيل", template="t")
    assert pt.body == "Atencao: ja" and ar.body == "تم التسجيل"
