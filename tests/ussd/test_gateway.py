"""Gateways misbehave: replays, latest-only inputs, the dialed shortcut, bad requests."""

from __future__ import annotations

from sqlalchemy import func, select

from registry.households.models import Household
from tests.ussd.conftest import ENDPOINT, UssdCall, fill_registration, new_phone, ussd_dial
from ussd.inputs import read_inputs, strip_shortcut

CODE = "*384*123#"


def _households_with(db_session, phone: str) -> int:
    return db_session.scalar(
        select(func.count(Household.id)).where(Household.members.any(phone=phone))
    )


def test_read_inputs_accumulated():
    assert read_inputs("", None, CODE).new == []
    assert read_inputs("1", "", CODE).new == ["1"]
    assert read_inputs("1*2*1980", "1*2", CODE).new == ["1980"]
    assert read_inputs("1*2*1980", "1", CODE).new == ["2", "1980"]


def test_read_inputs_replays_and_late_requests():
    assert read_inputs("1*2", "1*2", CODE).replay
    assert read_inputs("1", "1*2", CODE).replay  # an older request arriving late
    assert not read_inputs("1*3", "1*2", CODE).replay


def test_read_inputs_latest_only():
    step = read_inputs("1980", "2", CODE)
    assert step.new == ["1980"] and step.chain == "1980"


def test_strip_shortcut():
    assert strip_shortcut("*384*123#", CODE) == ""
    assert strip_shortcut("*384*123*2#", CODE) == "2"
    assert strip_shortcut("384*123*2*1", CODE) == "2*1"
    assert strip_shortcut("2", CODE) == "2"


def test_replayed_request_gets_the_same_answer_and_nothing_twice(client, kv, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1")
    fill_registration(kv, call)
    confirm = call.last
    final = call.send("1")
    assert final.startswith("END ")
    assert call.post(call.text()) == final  # the gateway retries the last request
    call.inputs.pop()
    assert call.post(call.text()) == confirm  # and an older one arrives late
    assert _households_with(db_session, phone) == 1


def test_first_request_replayed(client):
    call = ussd_dial(client)
    assert call.post("") == call.replies[0]
    assert call.send("1").startswith("CON Kinga")


def test_concurrent_duplicate_waits_for_the_first_answer(client, db_session, kv, monkeypatch):
    from ussd import service
    from ussd.state import claim_once, load_state

    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1")
    fill_registration(kv, call)
    state = load_state(kv, "africastalking", call.session_id)
    # Another worker is already registering this very step (it holds the claim).
    assert claim_once(kv, "africastalking", call.session_id, state.steps + 1)
    monkeypatch.setattr(service, "DUPLICATE_WAIT_SECONDS", 0.2)
    reply = call.send("1")
    assert reply == "END Please dial again in a minute."
    assert _households_with(db_session, phone) == 0


def test_gateway_configured_as_latest_only(client, kv, db_session):
    phone = new_phone()
    endpoint = ENDPOINT + "?input=latest"
    call = ussd_dial(client, phone, "1", "1", mode="latest", endpoint=endpoint)
    fill_registration(kv, call)
    assert "Is this right?" in call.last
    call.send("1")
    assert call.last.startswith("END ")
    assert call.post("1") == call.last  # a replay after the end changes nothing
    assert _households_with(db_session, phone) == 1


def test_latest_only_gateway_is_recognised(client):
    phone = new_phone()
    ussd_dial(client, phone, "1")  # language chosen once: the session starts at the main menu
    call = ussd_dial(client, phone, "2", "123456789", mode="latest")
    assert "mistake" in call.replies[-1]  # "123456789" read as one input, not as nine
    call.send("12")
    assert "mistake" in call.last


def test_gateway_sending_the_full_dial_string(client, kv, db_session):
    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1", mode="full")
    fill_registration(kv, call)
    call.send("1")
    assert call.last.startswith("END ")
    assert _households_with(db_session, phone) == 1


def test_dialed_shortcut_on_the_first_hit(client):
    phone = new_phone()
    ussd_dial(client, phone, "1")  # language chosen once
    call = UssdCall(client, phone)
    first = call.post("*384*123*4#")
    assert "Enter your tracking number:" in first
    call.inputs = ["4"]
    assert "mistake" in call.send("12345678")


def test_missing_fields_are_refused(client):
    response = client.post(ENDPOINT, data={"text": ""})
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("END ")


def test_reply_is_plain_text(client):
    response = client.post(
        ENDPOINT,
        data={"sessionId": "s-plain", "serviceCode": CODE, "phoneNumber": new_phone(), "text": ""},
    )
    assert response.content_type.startswith("text/plain")


def test_request_that_lost_a_write_race_is_answered_again(client, kv, db_session, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    phone = new_phone()
    call = ussd_dial(client, phone, "1", "1")
    fill_registration(kv, call)
    real_commit = Session.commit
    failures = []

    def flaky_commit(self):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(1)
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", flaky_commit)
    assert call.send("1").startswith("END ")
    assert failures == [1]
    assert _households_with(db_session, phone) == 1


def test_database_trouble_ends_the_session_with_a_line(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from ussd import views

    def down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT 1", {}, Exception("unable to open database file"))

    monkeypatch.setattr(views, "answer_request", down)
    response = client.post(
        ENDPOINT,
        data={"sessionId": "s-down", "serviceCode": CODE, "phoneNumber": new_phone(), "text": ""},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "END Please dial again in a minute."
