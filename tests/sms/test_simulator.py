"""The phone simulator texting Kinga (demo mode only)."""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.messaging.models import InboundMessage
from registry.outbox.models import OutboxMessage
from tests.conftest import csrf_token
from tests.sms.conftest import PHONE


def test_simulator_sends_through_the_sms_door(client: FlaskClient, db_session: Session) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/simulator/sms/send",
        json={"phone": "0712345678", "text": "msaada"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    inbound = db_session.scalars(select(InboundMessage)).one()
    assert (inbound.provider, inbound.from_phone, inbound.outcome) == ("simulator", PHONE, "help")
    reply = db_session.scalars(select(OutboxMessage)).one()
    assert reply.to_phone == PHONE and reply.body.startswith("Kinga: tuma HALI")


def test_simulator_needs_the_csrf_token(client: FlaskClient) -> None:
    response = client.post("/simulator/sms/send", json={"phone": PHONE, "text": "HELP"})
    assert response.status_code == 400


def test_simulator_is_absent_outside_demo_mode(app: Flask, client: FlaskClient) -> None:
    kinga = app.extensions["kinga"]
    kinga.settings = replace(kinga.settings, demo=False)
    token = csrf_token(client, "/login")
    response = client.post(
        "/simulator/sms/send", json={"phone": PHONE, "text": "HELP"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 404
