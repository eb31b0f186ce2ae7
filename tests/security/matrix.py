"""The declarative coverage table of the isolation matrix: one entry per endpoint.

Every endpoint in the app's URL map must appear here (a test fails otherwise), saying how to
call it against an object of ANOTHER region and what a refusal looks like. Kinds:

- PUBLIC: anyone, logged in or not; it must never return personal data.
- LOGIN: any logged-in user; anonymous callers are sent to the login page.
- PERMISSION: needs `permission`; others get 403; holders must not see the foreign object.
- SCOPED: needs `permission` and names an object of another region; holders get `refused`
  (404, or 400 when the object is a choice in a form), never the object.
- LOGIN_SCOPED: any logged-in user may call it (who may see what is decided per object, e.g. a
  job: its starter or holders of its kind's permission); an object of another region is
  refused (`refused`) to everyone.
- SKIP: not called by the matrix, with the reason and the test that covers it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry.users.roles import Permission
from tests.security.world import World

PUBLIC, LOGIN, PERMISSION, SCOPED, SKIP = "public", "login", "permission", "scoped", "skip"
# Any logged-in user may call it, and it names an object of ANOTHER region: refused for all.
LOGIN_SCOPED = "login_scoped"


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    data: dict[str, str] = field(default_factory=dict)
    json_body: dict[str, Any] | None = None  # sent as JSON instead of a form


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
    return [Call("POST", "/ussd/africastalking/test-at-token", data)]


def _case(path: str, method: str = "GET", **data: str) -> Callable[[World], list[Call]]:
    """A call on the FOREIGN region's case (`{number}` in the path)."""
    return lambda w: [Call(method, path.format(number=w.extra["foreign_case"]), dict(data))]


def _own_case(path: str) -> Callable[[World], list[Call]]:
    return lambda w: [Call("GET", path.format(number=w.extra["own_case"]))]


def _place(path: str, method: str = "GET", **data: str) -> Callable[[World], list[Call]]:
    return lambda w: [Call(method, path.format(code=w.extra["foreign_place"]), dict(data))]


# issue 16: case management (cases, intake, registers, case types)
CASES: dict[str, Case] = {
    "cases.index": Case(PERMISSION, get("/cases/"), Permission.CASE_READ),
    "cases.team": Case(PERMISSION, get("/cases/team"), Permission.CASE_SUPERVISE),
    "cases.show": Case(
        SCOPED, _case("/cases/{number}"), Permission.CASE_READ, own=_own_case("/cases/{number}")
    ),
    "cases.assign": Case(
        SCOPED, _case("/cases/{number}/assign", "POST", worker="1"), Permission.CASE_SUPERVISE
    ),
    "cases.plan": Case(
        SCOPED,
        _case("/cases/{number}/plan", "POST", do="add", kind="goal", text="Matrix goal"),
        Permission.CASE_HANDLE,
    ),
    "cases.referrals": Case(
        SCOPED,
        _case("/cases/{number}/referrals", "POST", service="health", provider="Matrix clinic"),
        Permission.CASE_HANDLE,
    ),
    "cases.notes": Case(
        SCOPED, _case("/cases/{number}/notes", "POST", text="Matrix note"), Permission.CASE_READ
    ),
    "cases.status": Case(
        SCOPED,
        _case("/cases/{number}/status", "POST", do="close", reason="goals_met"),
        Permission.CASE_HANDLE,
    ),
    "cases.documents": Case(
        SCOPED, _case("/cases/{number}/documents", "POST", title="x"), Permission.CASE_HANDLE
    ),
    "cases.document": Case(
        SCOPED,
        lambda w: [
            Call("GET", f"/cases/{w.extra['foreign_case']}/documents/{w.extra['foreign_document']}")
        ],
        Permission.CASE_READ,
    ),
    "cases.visit": Case(
        SCOPED,
        lambda w: (
            _case("/cases/{number}/visit")(w)
            + _case(
                "/cases/{number}/visit",
                "POST",
                submission_key="matrix-visit-key-00001",
                visited_on="2026-01-01",
                met_person="yes",
            )(w)
        ),
        Permission.CASE_HANDLE,
        own=_own_case("/cases/{number}/visit"),
    ),
    "cases.assess": Case(
        SCOPED,
        lambda w: (
            _case("/cases/{number}/assess")(w)
            + _case("/cases/{number}/assess", "POST", go="save")(w)
        ),
        Permission.CASE_HANDLE,
        own=_own_case("/cases/{number}/assess"),
    ),
    "case_intake.from_field": Case(
        SCOPED,
        lambda w: (
            _household("/field/households/{number}/case")(w)
            + _household(
                "/field/households/{number}/case",
                "POST",
                case_type="child_protection",
                reason="matrix",
            )(w)
        ),
        Permission.CASE_OPEN,
        own=_own_household("/field/households/{number}/case"),
    ),
    "case_intake.opened": Case(
        PERMISSION,
        lambda w: [Call("GET", f"/cases/opened/{w.extra['foreign_case']}")],
        Permission.CASE_OPEN,
    ),
    "case_intake.referral": Case(
        SCOPED,
        lambda w: [Call("POST", "/cases/new", {"household": w.foreign.number})],
        Permission.CASE_OPEN,
        refused=(422,),
    ),
    "case_intake.from_grievance": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/cases/from-grievance/{w.extra['foreign_grievance']}",
                {"case_type": "child_protection"},
            )
        ],
        Permission.CASE_OPEN,
        refused=(403, 404),  # 403: may open cases but handles no grievances (field worker)
    ),
    "places.index": Case(PERMISSION, get("/cases/places/"), Permission.ATTENDANCE_TAKE),
    "places.register": Case(
        SCOPED,
        lambda w: (
            _place("/cases/places/{code}")(w)
            + _place("/cases/places/{code}", "POST", day="2026-01-01", present="1")(w)
        ),
        Permission.ATTENDANCE_TAKE,
        own=lambda w: [Call("GET", f"/cases/places/{w.extra['own_place']}")],
    ),
    "places.enroll": Case(
        SCOPED,
        _place("/cases/places/{code}/enroll", "POST", household="1", member="1"),
        Permission.ATTENDANCE_TAKE,
    ),
    "case_types.index": Case(PERMISSION, get("/cases/types/"), Permission.USER_MANAGE),
    "case_types.show": Case(
        PERMISSION, get("/cases/types/child_protection"), Permission.USER_MANAGE
    ),
    "case_types.figures": Case(PERMISSION, get("/cases/types/figures"), Permission.DASHBOARD_VIEW),
}


def _cycle(
    path: str, method: str = "POST", which: str = "foreign", **data: str
) -> Callable[[World], list[Call]]:
    """A call on a payment cycle of the FOREIGN region (`{id}` in the path), or the own one."""
    return lambda w: [Call(method, path.format(id=w.extra[f"{which}_cycle"]), dict(data))]


def _point(
    path: str, method: str = "POST", which: str = "foreign"
) -> Callable[[World], list[Call]]:
    """A call on the distribution point of a region, with that region's cycle."""
    return lambda w: [
        Call(
            method,
            path.format(cycle=w.extra[f"{which}_cycle"], point=w.extra[f"{which}_point"]),
        )
    ]


def _voice_twilio(w: World) -> list[Call]:
    """An unsigned call, then keys that would ask the foreign household's status."""
    data = {"CallSid": "CAmatrix", "From": "+254799000005", "Digits": w.foreign.number}
    return [Call("POST", "/voice/twilio", data), Call("POST", "/voice/twilio?step=1", data)]


def _voice_africastalking(w: World) -> list[Call]:
    """A call through the secret path: the caller, unknown, is only offered the menus."""
    base = "/voice/africastalking/test-at-token"
    data = {"sessionId": "ATmatrix", "callerNumber": "+254799000006", "isActive": "1"}
    return [
        Call("POST", base, data),
        Call("POST", f"{base}?step=1", {**data, "dtmfDigits": "1"}),
        Call("POST", f"{base}?step=2", {**data, "dtmfDigits": "1"}),
        Call("POST", f"{base}?step=3", {**data, "dtmfDigits": w.foreign.number + "#"}),
    ]


FOREIGN_ID = "FOR88340271"  # the foreign canary's national ID (tests/security/world.py)


def _dci_search(national_id: str) -> dict[str, Any]:
    return {
        "header": {"action": "search", "message_id": "matrix", "sender_id": "matrix"},
        "message": {
            "transaction_id": "matrix",
            "search_request": [
                {
                    "reference_id": "1",
                    "search_criteria": {
                        "query_type": "idtype-value",
                        "query": {"type": "NATIONAL_ID", "value": national_id},
                    },
                }
            ],
        },
    }


def _dci_call(path: str) -> Callable[[World], list[Call]]:
    url = f"/api/v1/dci/registry/{path}"
    return lambda _world: [Call("POST", url, json_body=_dci_search(FOREIGN_ID))]


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
    # issue 15: duplicates desk
    "duplicates.index": Case(
        PERMISSION, get("/duplicates/"), permission=Permission.DUPLICATE_REVIEW
    ),
    "duplicates.pair": Case(
        SCOPED,
        lambda w: [Call("GET", f"/duplicates/{w.extra['foreign_pair']}")],
        permission=Permission.DUPLICATE_REVIEW,
        own=lambda w: [Call("GET", f"/duplicates/{w.extra['own_pair']}")],
    ),
    "duplicates.decide": Case(
        SCOPED,
        lambda w: [
            Call("POST", "/duplicates/decide", {f"decision-{w.extra['foreign_pair']}": "same"})
        ],
        permission=Permission.DUPLICATE_REVIEW,
    ),
    "duplicates.run": Case(
        SCOPED,
        lambda w: [Call("POST", "/duplicates/run", {"area": w.foreign_region})],
        permission=Permission.DUPLICATE_REVIEW,
        refused=(400,),
    ),
    "duplicates.undo_merge": Case(
        SCOPED,
        lambda w: [Call("POST", "/duplicates/merges/999999/undo")],
        permission=Permission.DUPLICATE_REVIEW,
    ),
    # issue 3: field web
    "field.search": Case(
        PERMISSION,
        lambda w: [
            Call("POST", "/field/", {"q": w.foreign.number}),
            Call("POST", "/field/", {"q": "Vyfor"}),
        ],
        permission=Permission.HOUSEHOLD_VIEW,
        own=lambda w: [Call("POST", "/field/", {"q": w.own.number})],
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
                "/ussd/africastalking/test-at-token/events",
                {"sessionId": "matrix", "status": "Success", "phoneNumber": "+2547"},
            )
        ],
    ),
    "simulator.phone": Case(PUBLIC, get("/simulator")),
    # issue 12: the simulator answers through the gateway's functions, the token stays server side
    "simulator.ussd_session": Case(
        PUBLIC, lambda w: [Call("POST", "/simulator/ussd", _ussd_status(w)[0].data)]
    ),
    "simulator.ussd_events": Case(
        PUBLIC,
        lambda w: [
            Call("POST", "/simulator/ussd/events", {"sessionId": "matrix", "status": "Success"})
        ],
    ),
    "simulator.sms": Case(
        PUBLIC, lambda w: [Call("GET", f"/simulator/sms?phone={w.foreign_phone_digits}")]
    ),
    "simulator.static": Case(PUBLIC, get("/simulator/static/simulator.css")),
    # issue 4: programs desk (programs are national; enrollments follow the household's area)
    "programs.index": Case(PERMISSION, get("/programs/"), Permission.PROGRAM_VIEW),
    "programs.show": Case(PERMISSION, get("/programs/TST"), Permission.PROGRAM_VIEW),
    "programs.apply": Case(
        PERMISSION, lambda w: [Call("POST", "/programs/TST/apply")], Permission.PROGRAM_MANAGE
    ),
    "programs.enrollments": Case(
        PERMISSION,
        get("/programs/TST/enrollments"),
        Permission.PROGRAM_VIEW,
        own=lambda w: [Call("GET", "/programs/TST/enrollments")],
    ),
    "programs.enrollment": Case(
        SCOPED,
        lambda w: [Call("GET", f"/programs/TST/enrollments/{w.extra['foreign_enrollment']}")],
        Permission.PROGRAM_VIEW,
        own=lambda w: [Call("GET", f"/programs/TST/enrollments/{w.extra['own_enrollment']}")],
    ),
    "programs.override": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/programs/TST/enrollments/{w.extra['foreign_enrollment']}/override",
                {"decision": "eligible", "note": "Matrix check of another region."},
            )
        ],
        Permission.ENROLLMENT_OVERRIDE,
    ),
    "programs.set_status": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/programs/TST/enrollments/{w.extra['foreign_enrollment']}/status",
                {"status": "suspended", "note": "Matrix check of another region."},
            )
        ],
        Permission.PROGRAM_MANAGE,
    ),
    "programs.new_version": Case(
        PERMISSION, get("/programs/TST/versions/new"), Permission.PROGRAM_MANAGE
    ),
    "programs.edit_version": Case(
        PERMISSION, get("/programs/TST/versions/1/edit"), Permission.PROGRAM_MANAGE
    ),
    # issue 12: the simulation of another region is 404 for the scoped manager and auditor
    "programs.simulation": Case(
        SCOPED,
        lambda w: [Call("GET", f"/programs/TST/versions/1/simulation?area={w.foreign_region}")],
        Permission.PROGRAM_VIEW,
        own=lambda w: [Call("GET", "/programs/TST/versions/1/simulation")],
    ),
    "programs.activate_version": Case(
        PERMISSION,
        lambda w: [Call("POST", "/programs/TST/versions/999/activate")],
        Permission.PROGRAM_MANAGE,
    ),
    # issue 7: grievance inbox
    "inbox.index": Case(PERMISSION, get("/inbox/"), Permission.GRIEVANCE_HANDLE),
    "inbox.stats": Case(PERMISSION, get("/inbox/stats"), Permission.GRIEVANCE_HANDLE),
    "inbox.lodge": Case(PERMISSION, get("/inbox/new"), Permission.GRIEVANCE_LODGE),
    "inbox.show": Case(
        SCOPED,
        lambda w: [Call("GET", f"/inbox/{w.extra['foreign_grievance']}")],
        Permission.GRIEVANCE_HANDLE,
        own=lambda w: [Call("GET", f"/inbox/{w.extra['own_grievance']}")],
    ),
    **{
        f"inbox.{action}": Case(
            SCOPED,
            (
                lambda a: (
                    lambda w: [
                        Call(
                            "POST",
                            f"/inbox/{w.extra['foreign_grievance']}/{a}",
                            {"text": "matrix", "note": "matrix", "reason": "matrix"},
                        )
                    ]
                )
            )(action),
            Permission.GRIEVANCE_HANDLE,
        )
        for action in (
            "assign",
            "start",
            "hold",
            "note",
            "reply",
            "escalate",
            "resolve",
            "close",
            "reopen",
        )
    },
    # issue 22: a caller's recorded message, played in the inbox
    "inbox.recording": Case(
        SCOPED,
        lambda w: [
            Call(
                "GET",
                f"/inbox/{w.extra['foreign_grievance']}/recordings/{w.extra['foreign_recording']}",
            ),
            # The foreign recording's id under the own grievance's number: still refused.
            Call(
                "GET",
                f"/inbox/{w.extra['own_grievance']}/recordings/{w.extra['foreign_recording']}",
            ),
        ],
        Permission.GRIEVANCE_HANDLE,
        own=lambda w: [
            Call("GET", f"/inbox/{w.extra['own_grievance']}/recordings/{w.extra['own_recording']}")
        ],
    ),
    "inbox.bulk_assign": Case(
        PERMISSION,
        lambda w: [Call("POST", "/inbox/bulk-assign", {"numbers": w.extra["foreign_grievance"]})],
        Permission.GRIEVANCE_HANDLE,
    ),
    "inbox_categories.index": Case(PERMISSION, get("/inbox/categories/"), Permission.USER_MANAGE),
    "inbox_categories.new": Case(PERMISSION, get("/inbox/categories/new"), Permission.USER_MANAGE),
    "inbox_categories.edit": Case(
        PERMISSION, get("/inbox/categories/payment_missing"), Permission.USER_MANAGE
    ),
    # issue 8: cards
    "cards.index": Case(
        PERMISSION,
        lambda w: [Call("GET", "/cards/"), Call("POST", "/cards/", {"q": w.foreign.number})],
        Permission.CARD_ISSUE,
    ),
    "cards.household": Case(
        SCOPED,
        _household("/cards/household/{number}"),
        Permission.CARD_ISSUE,
        own=_own_household("/cards/household/{number}"),
    ),
    "cards.issue_one": Case(
        SCOPED, _household("/cards/household/{number}/issue", "POST"), Permission.CARD_ISSUE
    ),
    "cards.issue_selected": Case(
        SCOPED,
        lambda w: [Call("POST", "/cards/issue", {"numbers": w.foreign.number})],
        Permission.CARD_ISSUE,
        refused=(302, 400, 404),
    ),
    "cards.print_selected": Case(
        SCOPED,
        lambda w: [Call("POST", "/cards/print", {"cards": w.extra["foreign_card"]})],
        Permission.CARD_ISSUE,
        refused=(302, 400, 404),
    ),
    "cards.png": Case(
        SCOPED,
        lambda w: [Call("GET", f"/cards/{w.extra['foreign_card']}.png")],
        Permission.CARD_ISSUE,
    ),
    "cards.pdf": Case(
        SCOPED,
        lambda w: [Call("GET", f"/cards/{w.extra['foreign_card']}.pdf")],
        Permission.CARD_ISSUE,
    ),
    "cards.revoke": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/cards/{w.extra['foreign_card']}/revoke",
                {"reason": "Matrix check of another region."},
            )
        ],
        Permission.CARD_ISSUE,
    ),
    "cards_api.verify": Case(
        PUBLIC,
        lambda w: [
            Call("POST", "/api/v1/cards/verify", json_body={"number": w.extra["foreign_card"]})
        ],
    ),
    "verify.page": Case(PUBLIC, get("/verify")),
    "verify.check": Case(
        PUBLIC, lambda w: [Call("POST", "/verify/check", {"number": w.extra["foreign_card"]})]
    ),
    "wellknown.keys": Case(PUBLIC, get("/.well-known/kinga-keys.json")),
    "wellknown.revoked": Case(PUBLIC, get("/.well-known/kinga-revoked.json")),
    "programs.program_status": Case(
        PERMISSION,
        lambda w: [Call("POST", "/programs/TST/status", {"status": "active"})],
        Permission.PROGRAM_MANAGE,
    ),
    "inbox.export": Case(
        PERMISSION,
        lambda w: [
            Call("GET", "/inbox/export?status=all"),
            Call(
                "POST",
                "/inbox/export",
                {"status": "all", "area": w.foreign_region, "reason": "matrix export run"},
            ),
        ],
        Permission.EXPORT,
    ),
    "field_grievance.lodge": Case(PERMISSION, get("/field/grievance"), Permission.GRIEVANCE_LODGE),
    "verify.service_worker": Case(PUBLIC, get("/verify-sw.js")),
    # issue 6: SMS gateways (signature / token checked) and the demo SMS simulator
    "sms_twilio.inbound": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/sms/twilio",
                {"From": "+254799000002", "Body": f"STATUS {w.foreign.number}"},
            )
        ],
    ),
    "sms_twilio.status": Case(
        PUBLIC, lambda w: [Call("POST", "/sms/twilio/status", {"MessageSid": "SM1"})]
    ),
    "sms_africastalking.inbound": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/sms/africastalking/test-at-token/inbound",
                {
                    "from": "+254799000003",
                    "text": f"STATUS {w.foreign.number} {w.foreign_head_year}",
                    "id": "matrix-1",
                    "to": "12345",
                },
            )
        ],
    ),
    "sms_africastalking.delivery": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/sms/africastalking/test-at-token/delivery",
                {"id": "matrix-2", "status": "Success"},
            )
        ],
    ),
    "sms_simulator.send": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/simulator/sms/send",
                {"phone": "+254799000004", "text": f"STATUS {w.foreign.number}"},
            )
        ],
    ),
    # issue 22: voice gateways (signature / token checked) and the clips they play
    "voice_twilio.twilio_call": Case(PUBLIC, _voice_twilio),
    "voice_africastalking.africastalking_call": Case(PUBLIC, _voice_africastalking),
    "voice_twilio.twilio_missed": Case(
        PUBLIC,
        lambda w: [
            Call("POST", "/voice/twilio/missed", {"CallSid": "CAm", "From": "+254799000008"})
        ],
    ),
    "voice_africastalking.africastalking_missed": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/voice/africastalking/test-at-token/missed",
                {"sessionId": "ATm", "callerNumber": "+254799000009", "isActive": "1"},
            )
        ],
    ),
    "voice_audio.clip": Case(PUBLIC, get("/voice/audio/" + "0" * 40 + ".wav")),
    "voice_simulator.phone": Case(PUBLIC, get("/simulator/voice")),
    "voice_simulator.static": Case(PUBLIC, get("/simulator/voice/static/voice.js")),
    "voice_simulator.step": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST", "/simulator/voice/step", {"call_id": "VSIMmatrix", "phone": "+254799000007"}
            ),
            Call(
                "POST",
                "/simulator/voice/step",
                {"call_id": "VSIMmatrix", "phone": "+254799000007", "step": "1", "digits": "1"},
            ),
            Call(
                "POST",
                "/simulator/voice/step",
                {"call_id": "VSIMmatrix", "phone": "+254799000007", "step": "2", "digits": "1"},
            ),
            Call(
                "POST",
                "/simulator/voice/step",
                {
                    "call_id": "VSIMmatrix",
                    "phone": "+254799000007",
                    "step": "3",
                    "digits": w.foreign.number,
                },
            ),
        ],
    ),
    "api_docs.openapi": Case(PUBLIC, get("/api/v1/openapi.json")),
    # issue 12: the forced password change and the administrator's users desk
    "auth.change_password": Case(LOGIN, get("/password")),
    "admin.users": Case(PERMISSION, get("/admin/users"), Permission.USER_MANAGE),
    "admin.create": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                "/admin/users",
                {
                    "username": "matrix-new",
                    "full_name": "Matrix New",
                    "roles": "grievance_officer",
                    "areas": w.foreign_region,
                },
            )
        ],
        Permission.USER_MANAGE,
        refused=(400,),
    ),
    "admin.show": Case(
        SCOPED,
        lambda w: [Call("GET", f"/admin/users/{w.extra['foreign_user_id']}")],
        Permission.USER_MANAGE,
    ),
    "admin.set_roles": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/admin/users/{w.extra['foreign_user_id']}/roles",
                {"roles": "admin", "areas": w.foreign_region},
            )
        ],
        Permission.USER_MANAGE,
    ),
    "admin.set_active": Case(
        SCOPED,
        lambda w: [
            Call("POST", f"/admin/users/{w.extra['foreign_user_id']}/active", {"action": "disable"})
        ],
        Permission.USER_MANAGE,
    ),
    "admin.reset_password": Case(
        SCOPED,
        lambda w: [Call("POST", f"/admin/users/{w.extra['foreign_user_id']}/password")],
        Permission.USER_MANAGE,
    ),
    "api_statistics.households": Case(PUBLIC, get("/api/v1/statistics/households")),
    # issue 18: partner systems (DCI API; a desk session carries no bearer token: 401) and the
    # administrators' desk. Partner tokens are checked in tests/security/test_partner_isolation.py
    **{
        f"dci.{name}": Case(PUBLIC, _dci_call(path))
        for name, path in (
            ("sync_search", "sync/search"),
            ("search", "search"),
            ("subscribe", "subscribe"),
            ("unsubscribe", "unsubscribe"),
            ("sync_txn_status", "sync/txn/status"),
        )
    },
    "dci.token": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/api/v1/dci/oauth2/client/token",
                {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
            )
        ],
    ),
    "dci.jwks": Case(PUBLIC, get("/api/v1/dci/.well-known/jwks.json")),
    "partners.index": Case(PERMISSION, get("/partners/"), Permission.USER_MANAGE),
    "partners.new": Case(PERMISSION, get("/partners/new"), Permission.USER_MANAGE),
    "partners.suspend": Case(
        PERMISSION,
        lambda w: [Call("POST", "/partners/kp_nosuchclient/suspend")],
        Permission.USER_MANAGE,
    ),
    # issue 13: metrics (loopback or a bearer token; no personal data) and job pages
    # (visible to the starter, or the kind's permission within its areas)
    "metrics.metrics": Case(PUBLIC, get("/metrics")),
    # issue 17: dashboards, indicator CSVs and the indicators API (areas of another region: 404)
    "dashboards.index": Case(
        SCOPED,
        lambda w: [Call("GET", f"/dashboards/?area={w.foreign_region}&section=targeting")],
        Permission.DASHBOARD_VIEW,
        own=lambda w: [Call("GET", f"/dashboards/?area={w.own_region}")],
    ),
    "dashboards.table_csv": Case(
        SCOPED,
        lambda w: [Call("GET", f"/dashboards/households_registered.csv?area={w.foreign_region}")],
        Permission.DASHBOARD_VIEW,
        own=lambda w: [Call("GET", f"/dashboards/people_sex.csv?area={w.own_region}")],
    ),
    "dashboards.report": Case(
        SCOPED,
        lambda w: [
            Call("POST", "/dashboards/report", {"period": "2026-11", "area": w.foreign_region})
        ],
        Permission.DASHBOARD_VIEW,
    ),
    "dashboards.refresh": Case(
        PERMISSION,
        lambda w: [Call("POST", "/dashboards/refresh", {"period": "not a month"})],
        Permission.PROGRAM_MANAGE,
    ),
    "api_indicators.indicators": Case(
        SCOPED,
        lambda w: [Call("GET", f"/api/v1/indicators?area={w.foreign_region}")],
        Permission.DASHBOARD_VIEW,
        own=lambda w: [Call("GET", f"/api/v1/indicators?area={w.own_region}")],
    ),
    # issue 14: payments desk (cycles of an area; entitlements follow the household's area)
    "payments.index": Case(PERMISSION, get("/payments/"), Permission.PAYMENT_VIEW),
    "payments.open_": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                "/payments/open",
                {"program": "PAY", "period": "2027-02", "area": w.foreign_region},
            )
        ],
        Permission.PAYMENT_PREPARE,
    ),
    "payments.cycle": Case(
        SCOPED,
        _cycle("/payments/cycles/{id}", "GET"),
        Permission.PAYMENT_VIEW,
        own=_cycle("/payments/cycles/{id}", "GET", "own"),
    ),
    "payments.approve": Case(
        SCOPED, _cycle("/payments/cycles/{id}/approve"), Permission.PAYMENT_APPROVE
    ),
    "payments.close": Case(
        SCOPED, _cycle("/payments/cycles/{id}/close"), Permission.PAYMENT_APPROVE
    ),
    "payments.export": Case(
        SCOPED,
        _cycle("/payments/cycles/{id}/export", format="csv"),
        Permission.EXPORT,
        own=_cycle("/payments/cycles/{id}/export", "POST", "own", format="csv"),
    ),
    "payments.pay": Case(SCOPED, _cycle("/payments/cycles/{id}/pay"), Permission.PAYMENT_APPROVE),
    "payments.reconcile": Case(
        SCOPED, _cycle("/payments/cycles/{id}/reconcile"), Permission.PAYMENT_PREPARE
    ),
    "payments.report": Case(
        SCOPED,
        _cycle("/payments/cycles/{id}/imports/1", "GET"),
        Permission.PAYMENT_VIEW,
    ),
    "payments.adjust": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/payments/entitlements/{w.extra['foreign_entitlement']}/adjust",
                {"amount": "5.00", "reason": "isolation matrix"},
            )
        ],
        Permission.PAYMENT_PREPARE,
    ),
    "payments.entitlement": Case(
        SCOPED,
        lambda w: [Call("GET", f"/payments/entitlements/{w.extra['foreign_entitlement']}")],
        Permission.PAYMENT_VIEW,
        own=lambda w: [Call("GET", f"/payments/entitlements/{w.extra['own_entitlement']}")],
    ),
    "payments.money": Case(
        PERMISSION,
        lambda w: [
            Call("GET", "/payments/money?program=PAY&year=2027"),
            Call("GET", f"/payments/money?program=PAY&year=2027&area={w.foreign_region}"),
        ],
        Permission.PAYMENT_VIEW,
    ),
    "payments.money_csv": Case(
        PERMISSION, get("/payments/money.csv?program=PAY&year=2027"), Permission.PAYMENT_VIEW
    ),
    "payments_africastalking.b2c": Case(
        PUBLIC,
        lambda w: [
            Call(
                "POST",
                "/payments/africastalking/test-at-token/b2c",
                json_body={"transactionId": "matrix-1", "status": "Success", "value": "KES 1"},
            )
        ],
    ),
    # issue 14: distribution day (points follow their area)
    "distribution.index": Case(PERMISSION, get("/distribution/"), Permission.DISTRIBUTION_RECORD),
    "distribution.new_point": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                "/distribution/points",
                {"code": "PT-X", "name": "X", "area": w.foreign_region},
            )
        ],
        Permission.PAYMENT_PREPARE,
    ),
    "distribution.point": Case(
        SCOPED,
        _point("/distribution/cycles/{cycle}/points/{point}", "GET"),
        Permission.PAYMENT_VIEW,
        own=_point("/distribution/cycles/{cycle}/points/{point}", "GET", "own"),
    ),
    "distribution.stock": Case(
        SCOPED,
        _point("/distribution/cycles/{cycle}/points/{point}/stock", "POST"),
        Permission.PAYMENT_PREPARE,
    ),
    "distribution.ready": Case(
        SCOPED,
        _point("/distribution/cycles/{cycle}/points/{point}/ready", "POST"),
        Permission.PAYMENT_PREPARE,
    ),
    "distribution.doubles": Case(
        SCOPED,
        _cycle("/distribution/cycles/{id}/doubles", "GET"),
        Permission.PAYMENT_VIEW,
        own=_cycle("/distribution/cycles/{id}/doubles", "GET", "own"),
    ),
    "distribution.roster_page": Case(
        SCOPED,
        _point("/distribution/cycles/{cycle}/points/{point}/roster", "GET"),
        Permission.DISTRIBUTION_RECORD,
        own=_point("/distribution/cycles/{cycle}/points/{point}/roster", "GET", "own"),
    ),
    "distribution.sync": Case(
        SCOPED,
        lambda w: [
            Call(
                "POST",
                f"/distribution/cycles/{w.extra['foreign_cycle']}/points/"
                f"{w.extra['foreign_point']}/sync",
                json_body={"device": "matrix", "records": []},  # type: ignore[dict-item]
            )
        ],
        Permission.DISTRIBUTION_RECORD,
    ),
    "distribution.fresh_csrf": Case(
        PERMISSION, get("/distribution/csrf"), Permission.DISTRIBUTION_RECORD
    ),
    "distribution.service_worker": Case(PUBLIC, get("/distribution/distribution-sw.js")),
    # issue 13: job pages (visible to the starter, or the kind's permission within its areas)
    "jobs.index": Case(LOGIN, get("/jobs/")),
    "jobs.show": Case(
        LOGIN_SCOPED,
        lambda w: [Call("GET", f"/jobs/{w.extra['foreign_job']}")],
        own=lambda w: [Call("GET", f"/jobs/{w.extra['own_job']}")],
    ),
    "jobs.download": Case(
        LOGIN_SCOPED,
        lambda w: [Call("GET", f"/jobs/{w.extra['foreign_job']}/files/marked.csv")],
        own=lambda w: [Call("GET", f"/jobs/{w.extra['own_job']}/files/marked.csv")],
    ),
    **CASES,
}


def describe(case: Case, call: Call) -> dict[str, Any]:
    return {"kind": case.kind, "method": call.method, "url": call.url}
