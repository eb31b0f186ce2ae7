"""The id of the web request or job being handled, for the audit events written meanwhile.

Doors set it (the web kernel per request, the job runner per job); services never pass it.
"""

from __future__ import annotations

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("kinga_request_id", default=None)
