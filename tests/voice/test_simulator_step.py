"""The voice simulator's step endpoint (demo mode only): the same call service, as JSON."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from registry.grievances.models import Grievance, GrievanceRecording
from tests.conftest import csrf_token
from tests.voice.conftest import new_phone
from tests.voice.fake_gateway import tone_wav
from webapp.state import state


def _step(client, token, **fields):  # type: ignore[no-untyped-def]
    response = client.post("/simulator/voice/step", data=fields, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))


def test_simulated_complaint_with_uploaded_message(app, client, db_session):
    token = csrf_token(client, "/simulator/voice")
    phone, call_id = new_phone(), "VSIMtest1"
    turn = _step(client, token, call_id=call_id, phone=phone)
    assert turn["waits"] == "digits" and len(turn["speech"]) == 5
    assert all(s["audio"].startswith("http://localhost/voice/audio/") for s in turn["speech"])
    for digits in ("2", "2", "1", "2"):  # French, report, first category, anonymous
        turn = _step(client, token, call_id=call_id, phone=phone, step=turn["step"], digits=digits)
    assert turn["waits"] == "record" and turn["speech"][0]["language"] == "fr"
    turn = _step(
        client,
        token,
        call_id=call_id,
        phone=phone,
        step=turn["step"],
        seconds="3",
        audio=(__import__("io").BytesIO(tone_wav(1.0)), "message.wav", "audio/wav"),
    )
    assert turn["waits"] is None
    grievance = db_session.scalars(select(Grievance).order_by(Grievance.id.desc())).first()
    assert grievance.anonymous and grievance.complainant_phone is None
    recording = db_session.scalars(
        select(GrievanceRecording).where(GrievanceRecording.grievance_id == grievance.id)
    ).one()
    assert recording.audio == tone_wav(1.0) and recording.provider == "simulator"
    assert any(" ".join(grievance.number) in s["text"].replace(",", "") for s in turn["speech"])


def test_simulator_needs_the_csrf_token_and_demo_mode(app, client):
    refused = client.post("/simulator/voice/step", data={"call_id": "x", "phone": "+254700000000"})
    assert refused.status_code == 400
    state(app).settings = replace(state(app).settings, demo=False)
    assert client.get("/simulator/voice").status_code == 404
