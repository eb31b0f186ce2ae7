"""`/simulator` (demo mode only): a feature phone in the browser that dials the real USSD
endpoint and shows the SMS the outbox holds for its number."""

from __future__ import annotations

import secrets

from flask import Blueprint, Flask, abort, jsonify, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.outbox.models import OutboxMessage
from registry.phones import normalize_phone
from webapp.database import db
from webapp.state import state

bp = Blueprint(
    "simulator",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/simulator/static",
)
SERVICE_CODE = "*384*123#"
SMS_SHOWN = 10


@bp.before_request
def demo_only() -> None:
    if not state().settings.demo:
        abort(404)


@bp.get("/simulator")
def phone() -> str:
    default_phone = "+2547" + "".join(str(secrets.randbelow(10)) for _ in range(8))
    return render_template(
        "simulator/phone.html", default_phone=default_phone, service_code=SERVICE_CODE
    )


@bp.get("/simulator/sms")
def sms() -> Response:
    phone = normalize_phone(request.args.get("phone", ""), state().settings.default_country)
    if phone is None:
        return jsonify(messages=[])
    rows = db().scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_phone == phone)
        .order_by(OutboxMessage.id.desc())
        .limit(SMS_SHOWN)
    )
    return jsonify(
        messages=[
            {"id": row.id, "body": row.body, "at": row.created_at.strftime("%H:%M")} for row in rows
        ]
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
