"""`POST /simulator/sms/send` (demo mode only): the phone simulator texting Kinga.

The message goes through the same path as a gateway's (stored once, keyword, reply through the
outbox, where the simulator's inbox shows it); only the gateway's signature check is skipped,
which is why this exists in demo mode alone.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, jsonify, request

from registry.phones import normalize_phone
from sms.gateway import receive
from webapp.state import state

bp = Blueprint("sms_simulator", __name__)
MAX_TEXT = 480


@bp.post("/simulator/sms/send")
def send() -> Response:
    settings = state().settings
    if not settings.demo:
        abort(404)
    payload = request.get_json(silent=True) or request.form
    phone = normalize_phone(str(payload.get("phone", "")), settings.default_country)
    text = str(payload.get("text", "")).strip()[:MAX_TEXT]
    if phone is None or not text:
        return jsonify(ok=False), 400
    receive("simulator", uuid.uuid4().hex, phone, "simulator", text, reply_through_outbox=True)
    return jsonify(ok=True)
