"""Rate limits with flask-limiter, stored in Redis when `KINGA_REDIS_URL` is set, else memory.

Each app gets its own `Limiter`. Views ask for a limit with the decorators below (which only
mark the function); `apply_limits(app)` then installs every marked limit once all doors are
registered, so any door (USSD, SMS, web) can use them without knowing the app:

    @status_lookup_limit
    def ussd_callback(): ...
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_kinga_limits"

# Generous per address: a whole office may log in from behind one NAT address at 8 am.
LOGIN_LIMIT = "30 per minute;300 per hour"
LOGIN_USER_LIMIT = "20 per hour"
STATUS_LOOKUP_LIMIT = "10 per minute;60 per hour"
STATUS_LOOKUP_GATEWAY_LIMIT = "600 per minute"


def caller_phone() -> str:
    """The subscriber behind a USSD or SMS callback (Africa's Talking or Twilio field names)."""
    form = request.form
    phone = form.get("phoneNumber") or form.get("from") or form.get("From") or ""
    return "phone:" + ("".join(c for c in phone if c.isdigit()) or get_remote_address())


def login_username() -> str:
    return "user:" + request.form.get("username", "").strip().lower()[:64]


def note_status_lookup() -> None:
    """Called by a door when a request really looks a household up: only those count against
    `status_lookup_limit` (menus, registration steps and help screens do not)."""
    if has_request_context():
        g.kinga_status_lookup = True


def _counts_as_lookup(_response: Response) -> bool:
    return bool(g.get("kinga_status_lookup"))


def _mark(
    limit_value: str,
    key_func: Callable[[], str],
    methods: list[str] | None,
    deduct_when: Callable[[Response], bool] | None = None,
) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        marks = list(getattr(view, _MARK, []))
        marks.append((limit_value, key_func, methods, deduct_when))
        setattr(view, _MARK, marks)
        return view

    return decorator


def limited(
    limit_value: str,
    key_func: Callable[[], str] = get_remote_address,
    methods: list[str] | None = None,
) -> Callable[[F], F]:
    """Marks a view with a limit (flask-limiter syntax, e.g. `"5 per minute"`)."""
    return _mark(limit_value, key_func, methods)


def status_lookup_limit(view: F) -> F:
    """For USSD and SMS status lookups: per caller phone, and overall per gateway address.

    Only requests in which the view called `note_status_lookup()` are counted; once a limit is
    reached every request of that phone (or gateway) is refused until the window passes.
    """
    per_phone = config_limit("KINGA_STATUS_LOOKUP_LIMIT")
    per_gateway = config_limit("KINGA_STATUS_LOOKUP_GATEWAY_LIMIT")
    view = _mark(per_phone, caller_phone, ["POST"], _counts_as_lookup)(view)
    return _mark(per_gateway, get_remote_address, ["POST"], _counts_as_lookup)(view)


def config_limit(name: str) -> str:
    """A limit read from the app config when the request is checked (tests may tighten it)."""
    return f"@config:{name}"


def _resolve(limit_value: str) -> str | Callable[[], str]:
    if limit_value.startswith("@config:"):
        name = limit_value.removeprefix("@config:")
        return lambda: str(current_app.config[name])
    return limit_value


def init_app(app: Flask, redis_url: str | None) -> Limiter:
    app.config.setdefault("KINGA_LOGIN_LIMIT", LOGIN_LIMIT)
    app.config.setdefault("KINGA_LOGIN_USER_LIMIT", LOGIN_USER_LIMIT)
    app.config.setdefault("KINGA_STATUS_LOOKUP_LIMIT", STATUS_LOOKUP_LIMIT)
    app.config.setdefault("KINGA_STATUS_LOOKUP_GATEWAY_LIMIT", STATUS_LOOKUP_GATEWAY_LIMIT)
    # Test apps must not share counters through Redis; production workers must share them.
    prefix = f"kinga-test-{uuid.uuid4().hex}" if app.testing else "kinga-limits"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", prefix)
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    app.extensions["kinga_limiter"] = limiter
    return limiter


def apply_limits(app: Flask) -> None:
    """Installs the limits marked on registered views (called after every door is in; calling
    it again later only installs the limits of views added since)."""
    limiter: Limiter = app.extensions["kinga_limiter"]
    done: set[str] = app.extensions.setdefault("kinga_limited_endpoints", set())
    for endpoint, view in list(app.view_functions.items()):
        if endpoint in done:
            continue
        done.add(endpoint)
        for limit_value, key_func, methods, deduct_when in getattr(view, _MARK, []):
            app.view_functions[endpoint] = limiter.limit(
                _resolve(limit_value), key_func=key_func, methods=methods, deduct_when=deduct_when
            )(app.view_functions[endpoint])
