"""Template helpers: time left or late, labels of statuses, events and decisions."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_timedelta
from flask_babel import gettext as _

from registry.db import utcnow
from registry.grievances.states import (
    CHANNEL_LABELS,
    DECISION_LABELS,
    EVENT_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
)
from registry.i18n import N_

SMS_STATUS_LABELS = {
    "queued": N_("waiting to be sent"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "delivered": N_("delivered"),
    "failed": N_("failed"),
    "skipped": N_("not sent"),
}


def time_left(due_at: datetime, now: datetime | None = None) -> tuple[str, bool]:
    """("3 days left", False) or ("5 hours late", True)."""
    now = now or utcnow()
    delta = due_at - now
    if delta.total_seconds() >= 0:
        return _("%(time)s left", time=format_timedelta(delta, threshold=1.5)), False
    return _("%(time)s late", time=format_timedelta(-delta, threshold=1.5)), True


def _label(table: dict, value: str | None) -> str:  # type: ignore[type-arg]
    if value is None:
        return ""
    msgid = {str(k): v for k, v in table.items()}.get(str(value))
    return _(msgid) if msgid else value


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(grievance_time_left=time_left)
    app.jinja_env.filters.update(
        status_label=lambda v: _label(STATUS_LABELS, v),
        priority_label=lambda v: _label(PRIORITY_LABELS, v),
        decision_label=lambda v: _label(DECISION_LABELS, v),
        event_label=lambda v: _label(EVENT_LABELS, v),
        channel_label=lambda v: _label(CHANNEL_LABELS, v),
        sms_status_label=lambda v: _label(SMS_STATUS_LABELS, v),
    )
