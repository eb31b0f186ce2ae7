"""A missed call costs the caller nothing: refused unanswered, then Kinga calls back once,
through the gateway's real client against the fake API; the call back starts by saying why."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from registry.calls.models import CallbackRequest, CallbackStatus
from tests.voice.conftest import Phone, new_phone, prompt_clip
from voice.callbacks import place_due
from webapp.state import state


def _missed(client, gateway, kind, phone, call_id):  # type: ignore[no-untyped-def]
    ring = Phone(client, gateway, kind, phone, call_id=call_id)
    url = ring.start_url + "/missed"
    response = ring.post(url)
    assert response.status_code == 200
    assert "<Reject" in response.get_data(as_text=True)
    return ring


def test_missed_call_is_called_back_once(app, client, db_session, gateway, gateway_kind):
    kinga = state(app)
    kinga.settings = replace(
        kinga.settings, at_username="sandbox", at_api_key="at-key", voice_number="+254711082000"
    )
    phone = new_phone()
    _missed(client, gateway, gateway_kind, phone, "CAmissed1")
    _missed(client, gateway, gateway_kind, phone, "CAmissed1")  # the same notification again
    _missed(client, gateway, gateway_kind, phone, "CAmissed2")  # rang twice: one call back
    rows = db_session.scalars(
        select(CallbackRequest).where(CallbackRequest.phone == phone).order_by(CallbackRequest.id)
    ).all()
    assert [r.status for r in rows] == [CallbackStatus.QUEUED, CallbackStatus.SKIPPED]

    assert place_due(kinga.sessionmaker, kinga.settings) == 1
    assert place_due(kinga.sessionmaker, kinga.settings) == 0  # nothing is placed twice
    [placed] = gateway.calls
    if gateway_kind == "twilio":
        assert placed["_path"].endswith("/Calls.json") and placed["To"] == phone
        assert placed["Url"] == "http://localhost/voice/twilio"
    else:
        assert placed["_path"] == "/call" and placed["to"] == phone
        assert placed["from"] == "+254711082000"
    db_session.expire_all()
    row = db_session.scalar(
        select(CallbackRequest).where(
            CallbackRequest.phone == phone, CallbackRequest.status != CallbackStatus.SKIPPED
        )
    )
    assert row.status == CallbackStatus.PLACED and row.provider_call_id

    # The person answers: the gateway calls the voice URL for the call we placed.
    answered = Phone(client, gateway, gateway_kind, phone, call_id=row.provider_call_id)
    if gateway_kind == "twilio":
        fields = {"Direction": "outbound-api", "From": "+15005550006", "To": phone}
    else:
        fields = {
            "direction": "Outbound",
            "callerNumber": "+254711082000",
            "destinationNumber": phone,
        }
    answered._follow(answered.post(answered.start_url, fields))
    assert answered.heard[0] == prompt_clip(app, "en", "callback")
    assert answered.waits_for == "digits"


def test_forged_missed_call_queues_nothing(client, db_session, gateway):
    data = {"CallSid": "CAforged", "From": "+254700000009"}
    assert client.post("/voice/twilio/missed", data=data).status_code == 403
    at = {"sessionId": "ATforged", "callerNumber": "+254700000009", "isActive": "1"}
    assert client.post("/voice/africastalking/wrong/missed", data=at).status_code == 403
    assert db_session.scalars(select(CallbackRequest)).all() == []


def test_call_back_without_gateway_settings_fails_clearly(app, client, db_session, gateway):
    kinga = state(app)
    kinga.settings = replace(kinga.settings, at_username=None, voice_number=None)
    _missed(client, gateway, "africastalking", new_phone(), "ATnosettings")
    assert place_due(kinga.sessionmaker, kinga.settings) == 1
    db_session.expire_all()
    row = db_session.scalars(select(CallbackRequest)).one()
    assert row.status == CallbackStatus.FAILED and "KINGA_VOICE_NUMBER" in (row.error or "")
    assert gateway.calls == []
