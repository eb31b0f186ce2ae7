"""Africa's Talking callbacks: inbound SMS and delivery reports, behind a secret path token.

Africa's Talking does not sign its callbacks; the secret token in the path (and, when set, the
allow-list of its addresses) is what keeps others out. Replies go out through the outbox.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from flask import Blueprint, Response, abort, request

from registry.messaging.delivery import record_delivery
from registry.outbox.models import OutboxStatus
from sms.gateway import receive
from webapp.limits import status_lookup_limit
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


def address_allowed(remote: str | None, allowed: tuple[str, ...]) -> bool:
    """True when no allow-list is set, or the caller's address is in one of its networks."""
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            log.warning("KINGA_AT_ALLOWED_IPS: ignoring %r", entry)
    return False


@bp.url_value_preprocessor
def _check_caller(endpoint: str | None, values: dict | None) -> None:  # type: ignore[type-arg]
    settings = state().settings
    token = (values or {}).pop("token", "")
    if not hmac.compare_digest(token.encode(), settings.at_callback_token.encode()):
        abort(403)
    if not address_allowed(request.remote_addr, settings.at_allowed_ips):
        log.warning("Africa's Talking callback from %s refused", request.remote_addr)
        abort(403)


@bp.post("/inbound")
@status_lookup_limit
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
