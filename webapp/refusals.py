"""Refused access is audited: a 403, or a 404 on a matched route (an object outside the scope).

The request's own work is rolled back first: a refused request changes nothing but the log.
"""

from __future__ import annotations

import logging

from flask import request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from registry.audit.service import record
from webapp.auth.access import current_origin
from webapp.database import db

log = logging.getLogger(__name__)


def should_record(status: int) -> bool:
    if status not in (403, 404) or request.endpoint in (None, "static"):
        return False
    return status == 403 or bool(current_user and current_user.is_authenticated)


def record_refusal(status: int) -> None:
    if not should_record(status):
        return
    session = db()
    try:
        session.rollback()
        record(
            session,
            current_origin(),
            "access.refused",
            target_type="route",
            target_id=request.endpoint,
            details={"status": status, "method": request.method},
        )
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        log.warning("could not audit a refusal on %s: %s", request.endpoint, type(exc).__name__)
