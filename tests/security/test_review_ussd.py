"""Findings 1, 9 and 10 of the first security review (docs/security.md): the USSD door."""

from __future__ import annotations

import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from registry.grievances.models import Grievance
from registry.households.models import Household
from registry.i18n import translate_ctx
from registry.kvstore import KeyValueStore
from tests.factories import community, make_household
from tests.ussd.conftest import ENDPOINT, LANGUAGE_KEYS, answer_for, new_phone, ussd_dial

OLD = "/ussd/africastalking"


def _form(phone: str = "+254799000010", text: str = "2", session: str = "spoof-1") -> dict:
    return {
        "sessionId": session,
        "serviceCode": "*384*123#",
        "phoneNumber": phone,
        "networkCode": "63902",
        "text": text,
    }


def test_finding_1_ussd_callback_needs_the_secret_token(client: FlaskClient, db_session) -> None:
    household = make_household(db_session, community(db_session), phone="+254799000010")
    db_session.commit()
    for path in (OLD, OLD + "/events", OLD + "/wrong-token", OLD + "/wrong-token/events"):
        response = client.post(path, data=_form(text="2"))
        assert response.status_code == 404, path
        assert household.number not in response.get_data(as_text=True)
    answer = client.post(ENDPOINT, data=_form(text="2")).get_data(as_text=True)
    assert household.number in answer  # the gateway, with the token, is answered


def test_finding_1_ussd_allow_list_applies(app: Flask, client: FlaskClient) -> None:
    from dataclasses import replace

    kinga = app.extensions["kinga"]
    kinga.settings = replace(kinga.settings, at_allowed_ips=("52.48.80.0/24",))
    outside = client.post(ENDPOINT, data=_form(), environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert outside.status_code == 404
    inside = client.post(ENDPOINT, data=_form(), environ_base={"REMOTE_ADDR": "52.48.80.7"})
    assert inside.status_code == 200


def test_finding_1_ussd_per_client_and_per_phone_limits(app: Flask, client: FlaskClient) -> None:
    app.config["KINGA_GATEWAY_CLIENT_LIMIT"] = "5 per minute"
    bodies = [
        client.post(ENDPOINT, data=_form(phone=new_phone(), session=f"c{i}", text=""))
        for i in range(7)
    ]
    assert all(b.get_data(as_text=True).startswith("CON ") for b in bodies[:5])
    for refused in bodies[5:]:  # a screen for the phone, not an error page
        assert refused.status_code == 200
        assert refused.get_data(as_text=True).startswith("END Too many tries")
    other = client.post(
        ENDPOINT, data=_form(session="c10"), environ_base={"REMOTE_ADDR": "10.1.1.1"}
    )
    assert other.status_code == 200 and other.get_data(as_text=True).startswith("CON ")


def test_finding_1_ussd_per_phone_limit(app: Flask, client: FlaskClient) -> None:
    app.config["KINGA_USSD_PHONE_LIMIT"] = "3 per minute"
    phone = new_phone()
    bodies = [
        client.post(ENDPOINT, data=_form(phone=phone, session=f"p{i}", text="")).get_data(
            as_text=True
        )
        for i in range(5)
    ]
    assert all(body.startswith("CON ") for body in bodies[:3])
    assert all(body.startswith("END ") for body in bodies[3:])
    fresh = client.post(ENDPOINT, data=_form(phone=new_phone(), session="p9", text=""))
    assert fresh.get_data(as_text=True).startswith("CON ")


def test_finding_1_inputs_per_request_are_capped(client: FlaskClient) -> None:
    too_many = "*".join(["1"] * 250)
    started = time.process_time()
    response = client.post(ENDPOINT, data=_form(text=too_many))
    assert response.status_code == 400
    assert time.process_time() - started < 0.2
    too_long = client.post(ENDPOINT, data=_form(text="1*" + "9" * 500, session="long"))
    assert too_long.status_code == 400
    for field, value in (("phoneNumber", "+2547" + "1" * 40), ("networkCode", "６３９")):
        form = {**_form(session=f"bad-{field}"), field: value}
        assert client.post(ENDPOINT, data=form).status_code == 400, field


def test_finding_9_end_events_validate_every_field(client: FlaskClient) -> None:
    base = {"sessionId": "ev-1", "status": "Success", "phoneNumber": "+254799000011"}
    for duration in ("²", "9" * 5000, "-1", "1e9", "١٢٣"):
        response = client.post(ENDPOINT + "/events", data={**base, "durationInMillis": duration})
        assert response.status_code == 400, duration
    ok = client.post(ENDPOINT + "/events", data={**base, "durationInMillis": "41000"})
    assert ok.status_code == 200


def _spend_national_budget(app: Flask, client: FlaskClient, db_session) -> None:
    app.config["KINGA_STATUS_LOOKUP_GATEWAY_LIMIT"] = "3 per minute"
    household = make_household(db_session, community(db_session), phone=None)
    db_session.commit()
    for _ in range(3):
        call = ussd_dial(client, None, "1", "2", household.number, "1900")
        assert call.last.startswith("END ")


def test_finding_10_national_budget_spent_only_lookups_refused(
    app: Flask, client: FlaskClient, db_session, kv: KeyValueStore
) -> None:
    _spend_national_budget(app, client, db_session)
    phone = new_phone()
    refused = ussd_dial(client, phone, LANGUAGE_KEYS["fr"], "2").last
    expected = translate_ctx("fr", "ussd", "Too many tries. Please try again later.")
    assert refused == "END " + expected  # the lookup alone, in the caller's language
    before = db_session.scalar(select(func.count()).select_from(Household))
    register = ussd_dial(client, phone, "1")
    for _ in range(40):
        if register.last.startswith("END "):
            break
        register.send(answer_for(kv, register))
    assert db_session.scalar(select(func.count()).select_from(Household)) == before + 1
    complaint = ussd_dial(client, phone, "3", "1", "The agent asked me for money", "1", "1")
    grievance = db_session.scalar(select(Grievance).order_by(Grievance.id.desc()).limit(1))
    assert grievance.complainant_phone == phone and grievance.number in complaint.last


def test_finding_10_per_caller_limit_refuses_that_caller_only(
    app: Flask, client: FlaskClient, db_session
) -> None:
    app.config["KINGA_STATUS_LOOKUP_LIMIT"] = "2 per minute"
    household = make_household(db_session, community(db_session), phone=None)
    db_session.commit()
    phone = new_phone()
    ussd_dial(client, phone, "1", "2", household.number, "1900")  # chooses English too
    ussd_dial(client, phone, "2", household.number, "1900")
    refused = ussd_dial(client, phone, "2").last
    assert refused.startswith("END Too many tries")
    menu = ussd_dial(client, phone, "3").last
    assert menu.startswith("CON ")  # the caller's other menus still open
    year = str(household.head.birth_year)
    found = ussd_dial(client, None, "1", "2", household.number, year).last
    assert household.number in found  # another caller is not held back
