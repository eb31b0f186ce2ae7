"""The phone simulator: demo mode only; it shows the SMS the outbox holds for its number."""

from __future__ import annotations

from dataclasses import replace

import pytest

from registry.outbox.service import queue_sms
from tests.conftest import _make_app


def test_simulator_is_404_outside_demo_mode(engine, kv, settings):
    app = _make_app(engine, replace(settings, demo=False), kv)
    client = app.test_client()
    assert client.get("/simulator").status_code == 404
    assert client.get("/simulator/sms?phone=%2B254712345678").status_code == 404
    assert client.post("/simulator/ussd", data={"sessionId": "x"}).status_code in (400, 404)


@pytest.mark.parametrize("language", ["en", "fr", "sw", "pt", "ar"])
def test_simulator_page_in_every_language(client, language):
    response = client.get("/simulator", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-endpoint="/simulator/ussd"' in page
    assert "test-at-token" not in page  # the gateway token stays on the server
    assert "simulator.js" in page and "<script>" not in page
    if language == "ar":
        assert 'dir="rtl"' in page and "محاكي الهاتف" in page


def test_simulator_lists_sms_for_the_phone(client, db_session):
    queue_sms(
        db_session,
        to_phone="+254712000111",
        language="en",
        msgid="Kinga: household %(number)s is registered. Keep this number.",
        template="household.registered",
        params={"number": "123456782"},
    )
    db_session.commit()
    messages = client.get("/simulator/sms?phone=0712000111").get_json()["messages"]
    assert len(messages) == 1 and "123456782" in messages[0]["body"]
    assert client.get("/simulator/sms?phone=0712000222").get_json()["messages"] == []


def test_simulator_dials_through_the_server_with_the_same_answers(client):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/simulator")
    form = {
        "sessionId": "SIM1",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254712000333",
        "networkCode": "63902",
        "text": "",
        "csrf_token": token,
    }
    first = client.post("/simulator/ussd", data=form).get_data(as_text=True)
    assert first.startswith("CON ")
    gateway = client.post(
        "/ussd/africastalking/test-at-token", data={**form, "sessionId": "AT1"}
    ).get_data(as_text=True)
    assert gateway == first
    ended = client.post(
        "/simulator/ussd/events",
        data={"sessionId": "SIM1", "status": "Success", "csrf_token": token},
    )
    assert ended.status_code == 200
