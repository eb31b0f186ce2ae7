"""Africa's Talking payment notifications (mobile B2C results), behind the secret path token.

Africa's Talking does not sign its callbacks: as for SMS, the secret token in the path and (when
set) the allow-list of its addresses keep others out, and a notification only ever names a
transaction Kinga itself started.
"""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, request

from registry.origin import Channel, Origin
from registry.payments.mobile_money import record_b2c_notification
from sms.africastalking_views import address_allowed
from webapp.database import db
from webapp.state import state

log = logging.getLogger(__name__)
bp = Blueprint("payments_africastalking", __name__, url_prefix="/payments/africastalking/<token>")


@bp.url_value_preprocessor
def _check_caller(endpoint: str | None, values: dict | None) -> None:  # type: ignore[type-arg]
    settings = state().settings
    token = (values or {}).pop("token", "")
    if not hmac.compare_digest(token.encode(), settings.at_callback_token.encode()):
        abort(403)
    if not address_allowed(request.remote_addr, settings.at_allowed_ips):
        log.warning("Africa's Talking payment callback from %s refused", request.remote_addr)
        abort(403)


@bp.post("/b2c")
def b2c() -> Response:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400)
    origin = Origin(channel=Channel.API, actor_name="africastalking", ip=request.remote_addr)
    known = record_b2c_notification(db(), payload, origin=origin)
    db().commit()
    # 200 either way for a well-formed call: AT retries on errors, and an unknown transaction
    # will never become known by retrying.
    return Response("", status=200 if known else 202)
