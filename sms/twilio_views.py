"""Twilio webhooks: inbound SMS answered in TwiML, and delivery status callbacks.

Both are checked with Twilio's own RequestValidator against KINGA_PUBLIC_URL, the address
Twilio calls: behind a TLS-terminating proxy the app sees http://, Twilio signed https://.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request
from twilio.twiml.messaging_response import MessagingResponse

from registry.messaging.delivery import record_delivery
from registry.outbox.models import OutboxStatus
from sms.gateway import receive
from webapp.limits import gateway_client_limit
from webapp.state import state
from webapp.twilio_auth import verify_twilio_request

log = logging.getLogger(__name__)
bp = Blueprint("sms_twilio", __name__, url_prefix="/sms/twilio")

DELIVERY_STATUS = {
    "sent": OutboxStatus.SENT,
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.DELIVERED,
    "failed": OutboxStatus.FAILED,
    "undelivered": OutboxStatus.FAILED,
}


def _twiml(text: str | None) -> Response:
    response = MessagingResponse()
    if text:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


@bp.post("")
@gateway_client_limit
def inbound() -> Response:
    verify_twilio_request()
    form = request.form
    message_id = form.get("MessageSid") or form.get("SmsSid") or ""
    if not message_id or not form.get("From"):
        abort(400)
    handled = receive(
        "twilio",
        message_id,
        form.get("From", ""),
        form.get("To"),
        form.get("Body", ""),
        reply_through_outbox=False,
    )
    return _twiml(handled.reply)


@bp.post("/status")
def status() -> Response:
    verify_twilio_request()
    message_id = request.form.get("MessageSid", "")
    new_status = DELIVERY_STATUS.get(request.form.get("MessageStatus", "").lower())
    if message_id and new_status is not None:
        kinga = state()
        with kinga.sessionmaker() as session:
            reason = request.form.get("ErrorCode")
            record_delivery(
                session,
                "twilio",
                message_id,
                new_status,
                f"twilio error {reason}" if reason else None,
            )
            session.commit()
    return Response("", status=204)
