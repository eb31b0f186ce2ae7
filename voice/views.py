"""The voice gateways' callbacks and the audio clips they play."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request, send_file
from sqlalchemy.exc import OperationalError

from registry.calls.service import request_callback
from registry.origin import Channel, Origin
from registry.phones import normalize_phone
from voice.adapters import africastalking, twilio
from voice.adapters.base import CallEvent
from voice.service import UnknownStep, answer_callback, audio_library
from webapp.database import db
from webapp.gateways import check_africastalking_caller
from webapp.state import state
from webapp.twilio_auth import verify_twilio_request

log = logging.getLogger(__name__)

twilio_bp = Blueprint("voice_twilio", __name__, url_prefix="/voice/twilio")
africastalking_bp = Blueprint(
    "voice_africastalking", __name__, url_prefix="/voice/africastalking/<token>"
)
audio_bp = Blueprint("voice_audio", __name__, url_prefix="/voice/audio")


def _step() -> int | None:
    raw = request.args.get("step")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 4:
        abort(400)
    return int(raw)


def _xml(body: str) -> Response:
    return Response(body, mimetype="application/xml")


@twilio_bp.post("")
def twilio_call() -> Response:
    verify_twilio_request()
    event = twilio.parse(request.form)
    if event is None:
        abort(400)
    if not event.active:
        return Response("", status=204)
    base = state().settings.public_url + "/voice/twilio"
    try:
        reply = answer_callback(event, _step(), twilio, lambda n: f"{base}?step={n}")
    except UnknownStep:
        abort(400)
    return _xml(reply)


@africastalking_bp.url_value_preprocessor
def _check_caller(endpoint: str | None, values: dict | None) -> None:  # type: ignore[type-arg]
    request.environ["kinga.at_token"] = (values or {}).get("token", "")
    check_africastalking_caller(values, 403)


@africastalking_bp.post("")
def africastalking_call() -> Response:
    event = africastalking.parse(request.form)
    if event is None:
        abort(400)
    if not event.active:  # the end-of-call notification: nothing to say
        return Response("", status=200)
    token = request.environ["kinga.at_token"]
    base = f"{state().settings.public_url}/voice/africastalking/{token}"
    try:
        reply = answer_callback(event, _step(), africastalking, lambda n: f"{base}?step={n}")
    except UnknownStep:
        abort(400)
    return _xml(reply)


def _missed(event: CallEvent | None, reject: str) -> Response:
    """A ring on the missed-call number: refused unanswered (free for the caller) and a call
    back queued, once per gateway call id."""
    if event is None:
        abort(400)
    if event.active:
        kinga = state()
        session = db()
        phone = normalize_phone(event.phone, kinga.settings.default_country)
        if phone is not None:
            request_callback(
                session,
                gateway=event.gateway,
                missed_call_id=event.call_id,
                phone=phone,
                origin=Origin(channel=Channel.VOICE, phone=phone, actor_name="voice"),
            )
            session.commit()
    return _xml(reject)


@twilio_bp.post("/missed")
def twilio_missed() -> Response:
    verify_twilio_request()
    return _missed(twilio.parse(request.form), twilio.render_reject())


@africastalking_bp.post("/missed")
def africastalking_missed() -> Response:
    return _missed(africastalking.parse(request.form), africastalking.render_reject())


@audio_bp.get("/<name>.wav")
def clip(name: str) -> Response:
    path = audio_library().path_of(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="audio/wav", max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _busy(exc: OperationalError) -> Response:
    log.error("voice: database unavailable (%s)", type(exc.orig).__name__)
    return Response("", status=503)


for _bp in (twilio_bp, africastalking_bp):
    _bp.register_error_handler(OperationalError, _busy)
