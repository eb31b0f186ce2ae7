"""Rate limits with flask-limiter, stored in Redis when `KINGA_REDIS_URL` is set, else memory.

Each app gets its own `Limiter`. Views ask for a limit with the decorators below (which only
mark the function); `apply_limits(app)` then installs every marked limit once all doors are
registered, so any door (USSD, SMS, web) can use them without knowing the app:

    @gateway_client_limit
    def ussd_callback(): ...

Status lookups are different: only the step that really looks a household up may be refused
(never the menus, a registration or a complaint), so the door asks `allow_status_lookup(phone)`
at that step and shows its own refusal in the caller's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_kinga_limits"

# Generous per address: a whole office may log in from behind one NAT address at 8 am.
LOGIN_LIMIT = "30 per minute;300 per hour"
LOGIN_USER_LIMIT = "20 per hour"
STATUS_LOOKUP_LIMIT = "10 per minute;60 per hour"
STATUS_LOOKUP_GATEWAY_LIMIT = "600 per minute"
# Per calling address (the gateway's): far above a country's traffic through one aggregator,
# low enough that a leaked token cannot be used to flood the service.
GATEWAY_CLIENT_LIMIT = "3000 per minute"
# Per subscriber phone on the USSD door: a real session is a request every few seconds.
USSD_PHONE_LIMIT = "60 per minute"


def caller_phone() -> str:
    """The subscriber behind a USSD or SMS callback (Africa's Talking or Twilio field names)."""
    form = request.form
    phone = form.get("phoneNumber") or form.get("from") or form.get("From") or ""
    return "phone:" + ("".join(c for c in phone if c.isdigit())[:20] or get_remote_address())


def login_username() -> str:
    """One user name tried from one address: a name tried from everywhere at once must not
    lock its rightful owner out (failed logins slow down the address, `registry.users.throttle`)."""
    name = request.form.get("username", "").strip().lower()[:64]
    return f"user:{get_remote_address()}:{name}"


def allow_status_lookup(phone: str) -> bool:
    """Counts one status lookup of `phone` (and of the calling gateway) and says whether it
    is within the limits. Over a limit nothing is counted, and only this lookup is refused."""
    limiter: Limiter = current_app.extensions["kinga_limiter"]
    digits = "".join(c for c in phone if c.isdigit())[:20] or get_remote_address()
    checks = [
        (current_app.config["KINGA_STATUS_LOOKUP_LIMIT"], "phone:" + digits),
        (
            current_app.config["KINGA_STATUS_LOOKUP_GATEWAY_LIMIT"],
            "gateway:" + get_remote_address(),
        ),
    ]
    items = [(item, key) for value, key in checks for item in parse_many(value)]
    # The app's key prefix, as flask-limiter's own limits use: workers of one deployment share
    # the counters, test apps (and other deployments on one Redis) do not.
    prefix = str(current_app.config["RATELIMIT_KEY_PREFIX"])
    if not all(limiter.limiter.test(item, prefix, "status-lookup", key) for item, key in items):
        return False
    for item, key in items:
        limiter.limiter.hit(item, prefix, "status-lookup", key)
    return True


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


def gateway_client_limit(view: F) -> F:
    """For gateway callbacks: a limit per calling address (the gateway, or whoever holds a
    leaked token) and, on the USSD door, per subscriber phone."""
    view = _mark(config_limit("KINGA_GATEWAY_CLIENT_LIMIT"), get_remote_address, ["POST"])(view)
    return view


def ussd_phone_limit(view: F) -> F:
    return _mark(config_limit("KINGA_USSD_PHONE_LIMIT"), caller_phone, ["POST"])(view)


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
    app.config.setdefault("KINGA_GATEWAY_CLIENT_LIMIT", GATEWAY_CLIENT_LIMIT)
    app.config.setdefault("KINGA_USSD_PHONE_LIMIT", USSD_PHONE_LIMIT)
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
