"""Africa's Talking callbacks: inbound SMS and delivery reports, behind a secret path token.

Africa's Talking does not sign its callbacks; the secret token in the path (and, when set, the
allow-list of its addresses) is what keeps others out. Replies go out through the outbox.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from registry.messaging.delivery import record_delivery
from registry.outbox.models import OutboxStatus
from sms.gateway import receive
from webapp.gateways import check_africastalking_caller
from webapp.limits import gateway_client_limit
from webapp.state import state

log = logging.getLogger(__name__)
bp = Blueprint("sms_africastalking", __name__, url_prefix="/sms/africastalking/<token>")

DELIVERY_STATUS = {
    "sent": OutboxStatus.SENT,
    "submitted": OutboxStatus.SENT,
    "buffered": OutboxStatus.SENT,
    "success": OutboxStatus.DELIVERED,
    "failed": OutboxStatus.FAILED,
    "rejected": OutboxStatus.FAILED,
}


@bp.url_value_preprocessor
def _check_caller(endpoint: str | None, values: dict | None) -> None:  # type: ignore[type-arg]
    check_africastalking_caller(values, 403)


@bp.post("/inbound")
@gateway_client_limit
def inbound() -> Response:
    form = request.form
    message_id, sender = form.get("id", ""), form.get("from", "")
    if not message_id or not sender:
        abort(400)
    receive(
        "africastalking",
        message_id,
        sender,
        form.get("to"),
        form.get("text", ""),
        reply_through_outbox=True,
    )
    return Response("", status=200)


@bp.post("/delivery")
@gateway_client_limit
def delivery() -> Response:
    message_id = request.form.get("id", "")
    new_status = DELIVERY_STATUS.get(request.form.get("status", "").lower())
    if message_id and new_status is not None:
        kinga = state()
        with kinga.sessionmaker() as session:
            reason = request.form.get("failureReason")
            record_delivery(session, "africastalking", message_id, new_status, reason)
            session.commit()
    return Response("", status=200)
