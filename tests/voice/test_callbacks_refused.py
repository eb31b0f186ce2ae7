"""Forged, replayed and odd voice callbacks: refused, or answered without a second effect."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from registry.grievances.models import Grievance, GrievanceRecording
from tests.voice.conftest import AT_TOKEN, Phone, call, new_phone, prompt_clip
from webapp.state import state


def _grievances(db_session) -> int:  # type: ignore[no-untyped-def]
    return int(db_session.scalar(select(func.count(Grievance.id))) or 0)


def _to_record_step(client, gateway, kind, phone) -> Phone:  # type: ignore[no-untyped-def]
    phone_call = call(client, gateway, kind, phone)
    for digits in ("1", "2", "1", "1"):  # English, report, first category, may contact
        phone_call.press(digits)
    assert phone_call.waits_for == "record"
    return phone_call


def test_unsigned_and_forged_twilio_calls_are_refused(client, gateway):
    fields = {"CallSid": "CA1", "From": "+254700000001", "Digits": "1"}
    assert client.post("/voice/twilio", data=fields).status_code == 403
    forged = Phone(client, gateway, "twilio", new_phone())
    response = forged.post("http://localhost/voice/twilio", token="not-the-token")
    assert response.status_code == 403
    # Signed for another URL (the step is part of what Twilio signs).
    other = Phone(client, gateway, "twilio", new_phone())
    form = other._fields({})
    from twilio.request_validator import RequestValidator

    from tests.voice.conftest import TWILIO_TOKEN

    signature = RequestValidator(TWILIO_TOKEN).compute_signature(
        "http://localhost/voice/twilio?step=1", form
    )
    response = client.post("/voice/twilio", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_forged_recording_callback_lodges_nothing(client, db_session, gateway):
    phone_call = _to_record_step(client, gateway, "twilio", new_phone())
    before = _grievances(db_session)
    recording_id, url = gateway.new_recording("twilio", b"RIFF....")
    form = phone_call._fields(
        {"RecordingUrl": url, "RecordingSid": recording_id, "RecordingDuration": "5"}
    )
    path = phone_call.next_url.replace("http://localhost", "")  # type: ignore[union-attr]
    response = client.post(path, data=form, headers={"X-Twilio-Signature": "forged"})
    assert response.status_code == 403
    assert _grievances(db_session) == before and gateway.fetches == []


def test_wrong_africastalking_token_or_address_is_refused(app, client, gateway):
    data = {"sessionId": "AT1", "callerNumber": "+254700000002", "isActive": "1"}
    assert client.post("/voice/africastalking/wrong-token", data=data).status_code == 403
    assert client.post(f"/voice/africastalking/{AT_TOKEN}", data=data).status_code == 200
    kinga = state(app)
    kinga.settings = replace(kinga.settings, at_allowed_ips=("196.201.214.0/24",))
    refused = client.post(f"/voice/africastalking/{AT_TOKEN}", data=data)
    assert refused.status_code == 403
    allowed = client.post(
        f"/voice/africastalking/{AT_TOKEN}",
        data={**data, "sessionId": "AT2"},
        environ_base={"REMOTE_ADDR": "196.201.214.10"},
    )
    assert allowed.status_code == 200


def test_replayed_callbacks_get_the_same_answer(client, db_session, gateway, gateway_kind):
    phone_call = _to_record_step(client, gateway, gateway_kind, new_phone())
    phone_call.speak()
    assert _grievances(db_session) == 1
    for _ in range(2):
        assert phone_call.replay() == phone_call.last_reply
    assert _grievances(db_session) == 1 and len(gateway.fetches) == 1
    # A step the call never reached is refused.
    field_name = "Digits" if gateway_kind == "twilio" else "dtmfDigits"
    base = phone_call.start_url
    response = phone_call.post(f"{base}?step=99", {field_name: "1"})
    assert response.status_code == 400


def test_recording_url_outside_the_gateway_is_not_fetched(client, db_session, gateway):
    phone_call = _to_record_step(client, gateway, "africastalking", new_phone())
    phone_call._follow(
        phone_call.post(
            phone_call.next_url,  # type: ignore[arg-type]
            {"recordingUrl": "http://169.254.169.254/latest/meta-data", "durationInSeconds": "4"},
        )
    )
    assert gateway.fetches == []
    # Nothing acknowledged is lost: the complaint is lodged, the recording marked missing.
    recording = db_session.scalars(select(GrievanceRecording)).one()
    assert recording.audio is None and recording.missing_reason == "recording URL refused"


def test_no_key_pressed_asks_again(app, client, gateway, gateway_kind):
    phone_call = call(client, gateway, gateway_kind, new_phone())
    phone_call._follow(phone_call.post(phone_call.next_url))  # type: ignore[arg-type]
    assert phone_call.heard[0] == prompt_clip(app, "en", "no_input")
    assert phone_call.waits_for == "digits"


def test_mistyped_tracking_number_is_caught_before_lookup(app, client, gateway):
    phone_call = call(client, gateway, "twilio", new_phone())
    phone_call.press("1")
    phone_call.press("3")
    phone_call.press("12345678#")  # check digit wrong
    assert phone_call.heard[0] == prompt_clip(app, "en", "number_mistake")
    assert phone_call.waits_for == "digits"
