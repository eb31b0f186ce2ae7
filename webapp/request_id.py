"""A request id for every request: in the response header, the error page, the audit event,
the jobs the request starts and its log line. A proxy's id (nginx `$request_id`) is kept."""

from __future__ import annotations

import re
import uuid

from flask import Flask, g, request
from werkzeug.wrappers import Response

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    return g.get("request_id")


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _ACCEPTED.match(given) else uuid.uuid4().hex


def _echo(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
    return response


def init_app(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_echo)

    @app.context_processor
    def request_id_in_templates() -> dict[str, str | None]:
        return {"request_id": g.get("request_id")}
