"""`/simulator/voice` (demo mode only): a phone call in the browser, beside the USSD phone.

It goes through the same call service as the gateways (the same prompts, clips, services and
replay rule); only the gateway's signature check is skipped, which is why it exists in demo mode
alone. The caller's message is recorded with the microphone when the browser allows it, else a
short tone stands in for it.
"""

from __future__ import annotations

import secrets
import uuid

from flask import Blueprint, Flask, Response, abort, render_template, request

from voice.adapters import simulator as adapter
from voice.adapters.base import CallEvent, as_int
from voice.recordings import Fetched
from voice.service import UnknownStep, answer_callback
from webapp.state import state

bp = Blueprint(
    "voice_simulator",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/simulator/voice/static",
)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
UPLOAD_TYPES = {"audio/wav": "audio/wav", "audio/webm": "audio/webm", "audio/ogg": "audio/ogg"}


@bp.before_request
def demo_only() -> None:
    if not state().settings.demo:
        abort(404)


@bp.get("/simulator/voice")
def phone() -> str:
    default_phone = "+2547" + "".join(str(secrets.randbelow(10)) for _ in range(8))
    return render_template("voice_simulator/phone.html", default_phone=default_phone)


@bp.post("/simulator/voice/step")
def step() -> Response:
    form = request.form
    call_id, phone = form.get("call_id", "")[:64], form.get("phone", "")[:20]
    if not call_id or not phone:
        abort(400)
    upload = request.files.get("audio")
    audio, content_type, recording_id = None, "audio/wav", None
    if upload is not None:
        audio = upload.read(MAX_UPLOAD_BYTES + 1)
        content_type = UPLOAD_TYPES.get((upload.mimetype or "").split(";")[0], "audio/wav")
        recording_id = f"sim-{uuid.uuid4().hex}"
    event = CallEvent(
        gateway=adapter.GATEWAY,
        call_id=call_id,
        phone=phone,
        digits=form.get("digits"),
        recording_url="simulator:upload" if audio else None,
        recording_id=recording_id,
        recording_seconds=as_int(form.get("seconds")),
    )
    raw_step = form.get("step", "")
    step_number = int(raw_step) if raw_step.isdigit() and len(raw_step) <= 4 else None

    def uploaded(_gateway: str, _url: str) -> Fetched:
        return Fetched(audio, content_type)

    try:
        reply = answer_callback(event, step_number, adapter, str, fetch=uploaded)
    except UnknownStep:
        abort(400)
    return Response(reply, mimetype="application/json")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
