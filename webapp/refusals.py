"""Refused access of a logged-in user is audited: a 403, or a 404 on a matched route (an object
outside the scope). The request's own work is rolled back first: a refused request changes
nothing but the log.

Refusals of anonymous callers (unsigned webhooks, forms without a login) are logged and counted
(`registry.counters`, name `access.refused_anonymous`), never written to the audit chain: the
chain is append-only, so anyone able to add to it without a login could grow it for ever.
"""

from __future__ import annotations

import logging

from flask import request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from registry import counters
from registry.audit.service import record
from webapp.auth.access import current_origin
from webapp.database import db
from webapp.logmask import masked_path
from webapp.state import state

log = logging.getLogger(__name__)
ANONYMOUS_COUNTER = "access.refused_anonymous"


def should_record(status: int) -> bool:
    if status not in (403, 404) or request.endpoint in (None, "static"):
        return False
    return bool(current_user and current_user.is_authenticated)


def record_refusal(status: int) -> None:
    if not should_record(status):
        if status == 403:
            _count_anonymous(status)
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


def _count_anonymous(status: int) -> None:
    log.info(
        "refused %s %s (%s) from %s",
        request.method,
        masked_path(request.path),
        status,
        request.remote_addr,
    )
    try:
        db().rollback()  # nothing of a refused request stays; no lock held while counting
        counters.bump(state().kv, ANONYMOUS_COUNTER)
    except Exception as exc:  # a counter must never turn a refusal into a 500
        log.warning("could not count a refusal: %s", type(exc).__name__)
