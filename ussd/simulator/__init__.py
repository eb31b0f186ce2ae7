"""`/simulator` (demo mode only): a feature phone in the browser that dials the USSD service
and shows the SMS the outbox holds for its number.

The browser posts to `/simulator/ussd` (CSRF-checked, demo mode only), which answers through
the very functions behind the gateway's `/ussd/africastalking/<token>`: the secret token stays
on the server."""

from __future__ import annotations

import secrets

from flask import Blueprint, Flask, abort, jsonify, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.outbox.models import OutboxMessage
from registry.phones import normalize_phone
from ussd.views import answer_session, record_end
from webapp.database import db
from webapp.limits import ussd_phone_limit
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


@bp.post("/simulator/ussd")
@ussd_phone_limit
def ussd_session() -> Response:
    """The simulated gateway: the same answer as `/ussd/africastalking/<token>`, called here
    on the server, so the callback token never reaches the browser."""
    return answer_session(request.form, request.args)


@bp.post("/simulator/ussd/events")
def ussd_events() -> Response:
    return record_end(request.form)


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
