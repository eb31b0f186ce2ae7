"""The gateway routes, behind the Africa's Talking secret path token (and allow-list).

`/ussd/africastalking/<token>` and `/ussd/africastalking/<token>/events`: a wrong token answers
404, like any unknown path. The phone simulator (demo mode) calls `answer_session` and
`record_end` server side, so the token never reaches a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Blueprint, Response, request
from sqlalchemy.exc import OperationalError

from registry.i18n import translate_ctx
from registry.selfservice.sessions import record_session_end
from ussd.adapters import africastalking
from ussd.adapters.base import UssdReply
from ussd.service import answer_request, progress_of
from ussd.state import load_state
from webapp.database import db
from webapp.gateways import check_africastalking_caller
from webapp.limits import gateway_client_limit, ussd_phone_limit
from webapp.state import state

bp = Blueprint("ussd", __name__, url_prefix="/ussd/africastalking/<token>")
log = logging.getLogger(__name__)


@bp.url_value_preprocessor
def _check_caller(endpoint: str | None, values: dict | None) -> None:  # type: ignore[type-arg]
    check_africastalking_caller(values, 404)


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


def answer_session(form: Mapping[str, str], args: Mapping[str, str]) -> Response:
    parsed = africastalking.parse_request(form, args)
    if parsed is None:
        return Response("END Bad request", status=400, content_type=africastalking.CONTENT_TYPE)
    kinga = state()
    reply = answer_request(parsed, db(), kinga.kv, kinga.settings)
    return Response(africastalking.render_reply(reply), content_type=africastalking.CONTENT_TYPE)


def record_end(form: Mapping[str, str]) -> Response:
    event = africastalking.parse_end(form)
    if event is None:
        return Response("bad request", status=400, content_type="text/plain")
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


@bp.post("")
@gateway_client_limit
@ussd_phone_limit
def africastalking_session() -> Response:
    return answer_session(request.form, request.args)


@bp.post("/events")
@gateway_client_limit
def africastalking_events() -> Response:
    return record_end(request.form)
