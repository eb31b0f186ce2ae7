"""The declarative coverage table of the isolation matrix: one entry per endpoint.

Every endpoint in the app's URL map must appear here (a test fails otherwise), saying how to
call it against an object of ANOTHER region and what a refusal looks like. Kinds:

- PUBLIC: anyone, logged in or not; it must never return personal data.
- LOGIN: any logged-in user; anonymous callers are sent to the login page.
- PERMISSION: needs `permission`; others get 403; holders must not see the foreign object.
- SCOPED: needs `permission` and names an object of another region; holders get `refused`
  (404, or 400 when the object is a choice in a form), never the object.
- SKIP: not called by the matrix, with the reason and the test that covers it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry.users.roles import Permission
from tests.security.world import World

PUBLIC, LOGIN, PERMISSION, SCOPED, SKIP = "public", "login", "permission", "scoped", "skip"


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    data: dict[str, str] = field(default_factory=dict)
    json_body: dict[str, str] | None = None  # sent as JSON instead of a form


@dataclass(frozen=True)
class Case:
    kind: str
    calls: Callable[[World], list[Call]]
    permission: Permission | None = None
    refused: tuple[int, ...] = (404,)
    reason: str = ""
    own: Callable[[World], list[Call]] | None = None  # the same, on an own-region object


def get(url: str) -> Callable[[World], list[Call]]:
    return lambda _world: [Call("GET", url)]


def _none(_world: World) -> list[Call]:
    return []


def _household(path: str, method: str = "GET", **data: str) -> Callable[[World], list[Call]]:
    """A call on the FOREIGN household (`{number}` in the path)."""
    return lambda w: [Call(method, path.format(number=w.foreign.number), dict(data))]


def _own_household(path: str) -> Callable[[World], list[Call]]:
    return lambda w: [Call("GET", path.format(number=w.own.number))]


def _ussd_status(w: World) -> list[Call]:
    """A status lookup of the foreign household by number, with the right birth year."""
    text = f"*384*123*1*2*{w.foreign.number}*{w.foreign_head_year}#"
    data = {
        "sessionId": "matrix",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254799000001",
        "networkCode": "63902",
        "text": text,
    }
    return [Call("POST", "/ussd/africastalking", data)]


COVERAGE: dict[str, Case] = {
    "static": Case(PUBLIC, get("/static/css/app.css")),
    "health.healthz": Case(PUBLIC, get("/healthz")),
    "auth.login": Case(PUBLIC, get("/login")),
    "auth.logout": Case(SKIP, _none, reason="ends the session: tests/webapp/test_auth.py"),
    "auth.set_language": Case(
        PUBLIC, lambda w: [Call("POST", "/language", {"lang": "fr", "next": "/"})]
    ),
    "home.index": Case(LOGIN, get("/")),
    "audit.index": Case(
        PERMISSION,
        lambda w: [Call("GET", f"/audit/?target={w.foreign.number}"), Call("GET", "/audit/")],
        permission=Permission.AUDIT_VIEW,
    ),
    "audit.verify": Case(
        PERMISSION, lambda w: [Call("POST", "/audit/verify")], permission=Permission.AUDIT_VIEW
    ),
    "audit.checkpoint": Case(
        PERMISSION, get("/audit/checkpoint.json"), permission=Permission.AUDIT_VIEW
    ),
    "audit_keys.audit_key": Case(PUBLIC, get("/.well-known/kinga-audit-key.json")),
    "privacy.export": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                "/exports/",
                {"reason": "isolation matrix", "format": "csv", "area": w.foreign_region},
            )
        ],
        permission=Permission.EXPORT,
        refused=(400,),
    ),
    "privacy.subject_access": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                "/exports/subject-access",
                {"number": w.foreign.number, "reason": "isolation matrix"},
            )
        ],
        permission=Permission.PII_FULL,
    ),
    "privacy.statistics": Case(PUBLIC, get("/statistics")),
    # issue 3: field web
    "field.search": Case(
        PERMISSION,
        lambda w: [Call("GET", f"/field/?q={w.foreign.number}"), Call("GET", "/field/?q=Vyfor")],
        permission=Permission.HOUSEHOLD_VIEW,
        own=lambda w: [Call("GET", f"/field/?q={w.own.number}")],
    ),
    "field.register": Case(PERMISSION, get("/field/register"), Permission.HOUSEHOLD_REGISTER),
    "field.view": Case(
        SCOPED,
        _household("/field/households/{number}"),
        Permission.HOUSEHOLD_VIEW,
        own=_own_household("/field/households/{number}"),
    ),
    "field.saved": Case(
        SCOPED,
        _household("/field/households/{number}/saved"),
        Permission.HOUSEHOLD_VIEW,
        own=_own_household("/field/households/{number}/saved"),
    ),
    "field.edit": Case(
        SCOPED,
        lambda w: (
            _household("/field/households/{number}/edit")(w)
            + _household("/field/households/{number}/edit", "POST", given_name="X")(w)
        ),
        Permission.HOUSEHOLD_EDIT,
        own=_own_household("/field/households/{number}/edit"),
    ),
    "field.verify": Case(
        SCOPED,
        lambda w: (
            _household("/field/households/{number}/verify")(w)
            + _household("/field/households/{number}/verify", "POST")(w)
        ),
        Permission.HOUSEHOLD_VERIFY,
    ),
    "field.consent": Case(
        SCOPED,
        lambda w: (
            _household("/field/households/{number}/consent")(w)
            + _household("/field/households/{number}/consent", "POST", consent_given="yes")(w)
        ),
        Permission.HOUSEHOLD_EDIT,
        own=_own_household("/field/households/{number}/consent"),
    ),
    "field.fresh_csrf": Case(PERMISSION, get("/field/csrf"), Permission.HOUSEHOLD_VIEW),
    "field.service_worker": Case(PUBLIC, get("/field/sw.js")),
    # issue 5: USSD self-service and the demo phone simulator
    "ussd.africastalking_session": Case(PUBLIC, _ussd_status),
    "ussd.africastalking_events": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/ussd/africastalking/events",
                {"sessionId": "matrix", "status": "Success", "phoneNumber": "+2547"},
            )
        ],
    ),
    "simulator.phone": Case(PUBLIC, get("/simulator")),
    "simulator.sms": Case(
        PUBLIC, lambda w: [Call("GET", f"/simulator/sms?phone={w.foreign_phone_digits}")]
    ),
    "simulator.static": Case(PUBLIC, get("/simulator/static/simulator.css")),
    "api_docs.openapi": Case(PUBLIC, get("/api/v1/openapi.json")),
    "api_statistics.households": Case(PUBLIC, get("/api/v1/statistics/households")),
}


def describe(case: Case, call: Call) -> dict[str, Any]:
    return {"kind": case.kind, "method": call.method, "url": call.url}
