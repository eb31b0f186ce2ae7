"""The gateway routes. Each aggregator has its adapter; the answer comes from `ussd.service`."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from sqlalchemy.exc import OperationalError

from registry.i18n import translate_ctx
from registry.selfservice.sessions import record_session_end
from ussd.adapters import africastalking
from ussd.adapters.base import UssdReply
from ussd.service import answer_request, progress_of
from ussd.state import load_state
from webapp.database import db
from webapp.limits import status_lookup_limit
from webapp.state import state

bp = Blueprint("ussd", __name__, url_prefix="/ussd")
log = logging.getLogger(__name__)


@bp.errorhandler(OperationalError)
def database_busy(exc: OperationalError) -> Response:
    """The caller sees a line on the phone, not an HTML error page."""
    log.error("ussd: database unavailable (%s)", type(exc.orig).__name__)
    text = translate_ctx(
        state().settings.default_language, "ussd", "Please dial again in a minute."
    )
    return Response(
        africastalking.render_reply(UssdReply(text, end=True)),
        content_type=africastalking.CONTENT_TYPE,
    )


@bp.post("/africastalking")
@status_lookup_limit
def africastalking_session() -> Response:
    parsed = africastalking.parse_request(request.form, request.args)
    if parsed is None:
        return Response("END Bad request", status=400, content_type=africastalking.CONTENT_TYPE)
    kinga = state()
    reply = answer_request(parsed, db(), kinga.kv, kinga.settings)
    return Response(africastalking.render_reply(reply), content_type=africastalking.CONTENT_TYPE)


@bp.post("/africastalking/events")
def africastalking_events() -> Response:
    event = africastalking.parse_end(request.form)
    if event is None:
        return Response("missing sessionId", status=400, content_type="text/plain")
    kinga = state()
    dialog_state = load_state(kinga.kv, event.gateway, event.session_id)
    session = db()
    record_session_end(
        session,
        gateway=event.gateway,
        session_id=event.session_id,
        gateway_status=event.status,
        progress=progress_of(dialog_state) if dialog_state else None,
        duration_ms=event.duration_ms,
        error=event.error,
        service_code=event.service_code,
        network_code=event.network_code,
    )
    session.commit()
    return Response("OK", content_type="text/plain")
