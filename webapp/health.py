from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from webapp.state import state

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        with state().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("health check: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
