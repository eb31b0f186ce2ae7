"""What a log line may say about a request: its path, with secrets masked and no query string.

Secret path segments (the Africa's Talking callback token) become `***`; query strings are
dropped whole (a search or a phone number in one would be personal data). Every logger of the
app, gunicorn's access log (`webapp.gunicorn_logging`) and the error handlers use this one
function.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

# The segment after `/africastalking/` is the callback token (SMS and USSD doors).
_SECRET_SEGMENT = re.compile(r"(/africastalking/)[^/?#\s]+")


def masked_path(path: str) -> str:
    """`path` without its query string and with every secret segment replaced by `***`."""
    without_query = path.split("?", 1)[0]
    return _SECRET_SEGMENT.sub(r"\1***", without_query)


UNMATCHED = "/(no such page)"
ENVIRON_KEY = "kinga.log_path"


def logged_path() -> str:
    """The path of the current request as logs may show it: masked, and for a URL that matched
    no route (anything a caller typed) only `UNMATCHED`."""
    return masked_path(request.path) if request.url_rule is not None else UNMATCHED


def init_app(app: Flask) -> None:
    """Leaves the loggable path in the WSGI environ, for gunicorn's access log."""

    @app.after_request
    def note_logged_path(response: Response) -> Response:
        request.environ[ENVIRON_KEY] = logged_path()
        return response
