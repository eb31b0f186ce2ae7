"""Africa's Talking callbacks: secret path token, optional address allow-list, replays."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.messaging.models import InboundMessage
from registry.outbox.models import OutboxMessage, OutboxStatus
from tests.sms.conftest import PHONE, SmsActions
from webapp.gateways import address_allowed


def _count(db_session: Session, model=InboundMessage) -> int:  # type: ignore[no-untyped-def]
    return int(db_session.scalar(select(func.count(model.id))) or 0)


def test_inbound_with_the_token_is_stored_and_answered_through_the_outbox(
    sms: SmsActions, db_session: Session
) -> None:
    response = sms.africastalking("MSAADA", message_id="ATin1")
    assert response.status_code == 200 and response.get_data() == b""
    stored = db_session.scalars(select(InboundMessage)).one()
    assert stored.provider == "africastalking" and stored.provider_message_id == "ATin1"
    reply = db_session.scalars(select(OutboxMessage)).one()
    assert reply.to_phone == PHONE and reply.status == OutboxStatus.QUEUED
    assert reply.language == "sw"


def test_wrong_token_is_refused_without_side_effect(sms: SmsActions, db_session: Session) -> None:
    assert sms.africastalking("STOP", token="guess").status_code == 403
    assert _count(db_session) == 0 and _count(db_session, OutboxMessage) == 0


def test_delivery_with_wrong_token_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/sms/africastalking/guess/delivery", data={"id": "x", "status": "Success"}
    )
    assert response.status_code == 403


def test_allow_list_refuses_other_addresses(
    app: Flask, sms: SmsActions, db_session: Session
) -> None:
    kinga = app.extensions["kinga"]
    kinga.settings = replace(kinga.settings, at_allowed_ips=("52.48.80.0/24",))
    assert sms.africastalking("HELP").status_code == 403  # the test client is 127.0.0.1
    kinga.settings = replace(kinga.settings, at_allowed_ips=("52.48.80.0/24", "127.0.0.1"))
    assert sms.africastalking("HELP").status_code == 200
    assert _count(db_session) == 1


def test_address_allowed_reads_networks_and_single_addresses() -> None:
    assert address_allowed("10.0.0.1", ())
    assert address_allowed("52.48.80.7", ("52.48.80.0/24",))
    assert not address_allowed("52.48.81.7", ("52.48.80.0/24",))
    assert address_allowed("::1", ("::1",))
    assert not address_allowed(None, ("127.0.0.1",))
    assert not address_allowed("1.2.3.4", ("not-an-ip",))


def test_replayed_inbound_is_processed_once(sms: SmsActions, db_session: Session) -> None:
    assert sms.africastalking("HELP", message_id="ATdup").status_code == 200
    assert sms.africastalking("HELP", message_id="ATdup").status_code == 200
    assert _count(db_session) == 1
    assert _count(db_session, OutboxMessage) == 1


def test_delivery_report_updates_the_message(client, db_session: Session) -> None:  # type: ignore[no-untyped-def]
    message = OutboxMessage(
        to_phone=PHONE,
        body="x",
        language="en",
        template="t",
        status=OutboxStatus.SENT,
        provider="africastalking",
        provider_message_id="ATXid_7",
    )
    db_session.add(message)
    db_session.commit()
    url = "/sms/africastalking/test-at-token/delivery"
    assert (
        client.post(
            url, data={"id": "ATXid_7", "status": "Failed", "failureReason": "AbsentSubscriber"}
        ).status_code
        == 200
    )
    assert client.post(url, data={"id": "ATXid_7", "status": "Success"}).status_code == 200
    db_session.refresh(message)
    assert message.status == OutboxStatus.FAILED and message.error == "AbsentSubscriber"
