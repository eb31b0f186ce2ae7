"""Twilio webhooks, signed with Twilio's own RequestValidator."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.messaging.models import InboundMessage
from registry.outbox.models import OutboxMessage, OutboxStatus
from tests.sms.conftest import PHONE, SmsActions, twiml_text


def _inbound_count(db_session: Session) -> int:
    return int(db_session.scalar(select(func.count(InboundMessage.id))) or 0)


def test_signed_request_is_answered_in_twiml(sms: SmsActions, db_session: Session) -> None:
    response = sms.twilio("HELP")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert "STATUS" in twiml_text(response)
    stored = db_session.scalars(select(InboundMessage)).one()
    assert (stored.provider, stored.from_phone, stored.body) == ("twilio", PHONE, "HELP")
    assert stored.outcome == "help" and stored.processed_at is not None


def test_forged_signature_is_refused_without_side_effect(
    sms: SmsActions, db_session: Session
) -> None:
    response = sms.twilio("STOP", token="not-the-token")
    assert response.status_code == 403
    assert _inbound_count(db_session) == 0


def test_missing_signature_is_refused(client, db_session: Session) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sms/twilio", data={"MessageSid": "SM1", "From": PHONE, "Body": "STOP"})
    assert response.status_code == 403
    assert _inbound_count(db_session) == 0


def test_signature_for_another_url_is_refused(sms: SmsActions, db_session: Session) -> None:
    response = sms.twilio("HELP", signed_url="http://localhost/sms/other")
    assert response.status_code == 403
    assert _inbound_count(db_session) == 0


def test_tampered_body_is_refused(sms: SmsActions, client, db_session: Session) -> None:  # type: ignore[no-untyped-def]
    from twilio.request_validator import RequestValidator

    from tests.sms.conftest import TWILIO_TOKEN

    params = {"MessageSid": "SM9", "From": PHONE, "To": "+1", "Body": "HELP"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(
        "http://localhost/sms/twilio", params
    )
    params["Body"] = "STOP"
    response = client.post("/sms/twilio", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_behind_a_tls_proxy_the_public_https_url_is_checked(app: Flask) -> None:
    """Twilio signs https://public/..., the app behind the proxy is reached over http."""
    kinga = app.extensions["kinga"]
    kinga.settings = replace(kinga.settings, public_url="https://kinga.example.org")
    proxied = SmsActions(app.test_client(), public_url="https://kinga.example.org")
    assert proxied.twilio("HELP").status_code == 200
    # The internal http:// address is not what Twilio signed.
    internal = SmsActions(app.test_client(), public_url="http://localhost")
    assert internal.twilio("HELP").status_code == 403


def test_a_replayed_webhook_is_acknowledged_once(sms: SmsActions, db_session: Session) -> None:
    first = sms.twilio("STOP", sid="SMreplay")
    again = sms.twilio("STOP", sid="SMreplay")
    assert first.status_code == again.status_code == 200
    assert twiml_text(first) and twiml_text(again) == ""
    assert _inbound_count(db_session) == 1


def test_status_callback_moves_the_message_forward_only(
    sms: SmsActions, db_session: Session
) -> None:
    message = OutboxMessage(
        to_phone=PHONE,
        body="x",
        language="en",
        template="t",
        status=OutboxStatus.SENT,
        provider="twilio",
        provider_message_id="SMout1",
    )
    db_session.add(message)
    db_session.commit()
    assert sms.twilio_status("SMout1", "delivered").status_code == 204
    assert sms.twilio_status("SMout1", "sent").status_code == 204  # late, out of order
    assert sms.twilio_status("SMout1", "undelivered", ErrorCode="30003").status_code == 204
    db_session.refresh(message)
    assert message.status == OutboxStatus.DELIVERED and message.delivered_at is not None


def test_status_callback_records_a_failure_reason(sms: SmsActions, db_session: Session) -> None:
    message = OutboxMessage(
        to_phone=PHONE,
        body="x",
        language="en",
        template="t",
        status=OutboxStatus.SENT,
        provider="twilio",
        provider_message_id="SMout2",
    )
    db_session.add(message)
    db_session.commit()
    sms.twilio_status("SMout2", "undelivered", ErrorCode="30003")
    db_session.refresh(message)
    assert message.status == OutboxStatus.FAILED and "30003" in (message.error or "")


def test_unsigned_status_callback_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/sms/twilio/status", data={"MessageSid": "x", "MessageStatus": "delivered"}
    )
    assert response.status_code == 403


def test_a_failing_handler_still_stores_the_message_once(
    sms: SmsActions, db_session: Session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sms import gateway

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(gateway, "handle_text", broken)
    first = sms.twilio("HELP", sid="SMbroken")
    assert first.status_code == 200 and twiml_text(first) == ""
    assert sms.twilio("HELP", sid="SMbroken").status_code == 200
    stored = db_session.scalars(select(InboundMessage)).one()
    assert stored.outcome == "error"
