"""Logs as JSON lines (python-json-logger): one line per request, one per job event, each with
the request id. Lines carry route patterns, never the raw path or query, so that numbers,
tokens and search terms do not reach the logs."""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter
from werkzeug.wrappers import Response

access = logging.getLogger("kinga.request")
FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context():
            record.request_id = g.get("request_id")
        return True


def json_formatter() -> JsonFormatter:
    return JsonFormatter(FIELDS, rename_fields={"levelname": "level", "asctime": "time"})


def configure_json_logging(level: int = logging.INFO) -> None:
    """Root logging to stderr as JSON lines (idempotent: one handler, however many apps)."""
    root = logging.getLogger()
    if any(getattr(h, "kinga_json", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    handler.kinga_json = True  # type: ignore[attr-defined]
    root.handlers = [handler]
    root.setLevel(level)


def _started() -> None:
    g.log_started = time.perf_counter()


def _line(response: Response) -> Response:
    started = g.get("log_started")
    user = current_user.user.id if current_user and current_user.is_authenticated else None
    access.info(
        "request",
        extra={
            "request_id": g.get("request_id"),
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule is not None else None,
            "endpoint": request.url_rule.endpoint if request.url_rule is not None else None,
            "status": response.status_code,
            "duration_ms": round(1000 * (time.perf_counter() - started), 1) if started else None,
            "user_id": user,
        },
    )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_line)
