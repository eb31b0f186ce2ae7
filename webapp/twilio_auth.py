"""Twilio's signature on a callback, checked once for every door that Twilio calls (SMS, voice).

Checked with Twilio's own RequestValidator against KINGA_PUBLIC_URL, the address Twilio calls:
behind a TLS-terminating proxy the app sees http://, Twilio signed https://.
"""

from __future__ import annotations

import logging

from flask import abort, request
from twilio.request_validator import RequestValidator

from webapp.state import state

log = logging.getLogger(__name__)


def public_url() -> str:
    """The URL Twilio called, as it saw it: the public address plus path and query."""
    path = request.full_path.rstrip("?") if request.query_string else request.path
    return state().settings.public_url + path


def verify_twilio_request() -> None:
    """Aborts with 403 unless the request carries Twilio's valid signature for this URL."""
    token = state().settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        abort(403)
    if not RequestValidator(token).validate(public_url(), request.form, signature):
        log.warning("Twilio signature refused on %s", request.path)
        abort(403)
