"""Error pages: localized, with no stack trace and no personal data; failures logged by type."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import Forbidden as HTTPForbidden
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as HTTPNotFound
from werkzeug.wrappers import Response

from registry.errors import Forbidden, NotFound
from registry.i18n import translate_ctx
from webapp.refusals import record_refusal
from webapp.state import state

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def _page(status: int, title: str, message: str) -> tuple[str | Response, int]:
    if _wants_json():
        return jsonify(error=title, message=message, request_id=g.get("request_id")), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _ussd_refusal() -> tuple[Response, int]:
    """A USSD gateway only shows a 200 text answer: the phone gets a screen, not an error."""
    language = state().settings.default_language
    text = translate_ctx(language, "ussd", "Too many tries. Please try again later.")
    return Response("END " + text, content_type="text/plain; charset=utf-8"), 200


def _sms_refusal() -> tuple[Response, int]:
    """An SMS over the limit is dropped without a reply; the gateway must not retry it."""
    if request.path.startswith("/sms/twilio"):
        return Response("<Response/>", mimetype="application/xml"), 200
    return Response("", content_type="text/plain"), 200


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> tuple[str | Response, int]:
        log.warning("CSRF check failed on %s", request.path)
        return _page(
            400,
            _("The form has expired"),
            _("Please go back, reload the page and send the form again."),
        )

    @app.errorhandler(OperationalError)
    def database_down(exc: OperationalError) -> tuple[str | Response, int]:
        log.error("database unavailable on %s: %s", request.path, type(exc.orig).__name__)
        return _page(
            503,
            _("Service temporarily unavailable"),
            _("The database cannot be reached. Nothing was saved. Please try again shortly."),
        )

    @app.errorhandler(NotFound)
    def not_found(_exc: NotFound) -> tuple[str | Response, int] | HTTPException:
        return http_error(HTTPNotFound())

    @app.errorhandler(Forbidden)
    def forbidden(_exc: Forbidden) -> tuple[str | Response, int] | HTTPException:
        return http_error(HTTPForbidden())

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str | Response, int] | HTTPException:
        messages = {
            400: (_("Bad request"), _("The request could not be understood.")),
            401: (_("Please log in"), _("You need to log in to see this page.")),
            403: (_("Not allowed"), _("Your role does not give access to this page.")),
            404: (_("Not found"), _("This page or record does not exist, or is not yours.")),
            405: (_("Not allowed"), _("This action is not available here.")),
            413: (_("Too large"), _("What you sent is too large.")),
            429: (_("Too many requests"), _("Please wait a moment and try again.")),
        }
        if exc.code not in messages:
            return exc
        if exc.code == 429 and request.path.startswith("/ussd/"):
            return _ussd_refusal()
        if exc.code == 429 and request.path.startswith("/sms/"):
            return _sms_refusal()
        title, message = messages[exc.code]
        record_refusal(exc.code)
        return _page(exc.code or 500, title, message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[str | Response, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _page(
            500,
            _("Something went wrong"),
            _("Nothing was saved. The problem has been logged; please try again."),
        )
