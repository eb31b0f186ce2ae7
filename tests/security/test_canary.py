"""The personal-data canary: unique marker values seeded in two households, then every page,
API, export and error path is exercised as every role. Markers must never reach the logs, the
audit log, or a response to a role that may not see them."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.users.roles import Permission, can
from tests.conftest import CSRF_RE
from tests.jobs import download_result
from tests.security.matrix import COVERAGE, SKIP
from tests.security.world import FOREIGN, OWN, ROLES, World, build_world, client_as, leaked


def _visible_own_markers(role: str | None) -> tuple[str, ...]:
    """What of the own-region canary this role may legitimately see."""
    if role is None:
        return ()
    shown: tuple[str, ...] = ()
    if any(
        can({role}, p) for p in (Permission.EXPORT, Permission.PII_FULL, Permission.HOUSEHOLD_VIEW)
    ):
        shown += OWN.names
    if can({role}, Permission.PII_FULL):
        shown += OWN.sensitive
    return shown


def _token(client: FlaskClient) -> str:
    for url in ("/login", "/"):
        match = CSRF_RE.search(client.get(url).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no CSRF token")


def _exercise(client: FlaskClient, world: World) -> list[tuple[str, str]]:
    """Every route of the matrix, then own-region exports and a set of error paths.

    The error paths send own-canary values as input (for the log check); a page may echo the
    caller's own input, so their bodies are labelled "echo" and checked for foreign data only.
    """
    token = _token(client)
    bodies = []
    for endpoint, case in COVERAGE.items():
        if case.kind == SKIP:
            continue
        for call in case.calls(world) + (case.own(world) if case.own else []):
            if call.method == "GET":
                response = client.get(call.url)
            elif call.json_body is not None:
                response = client.post(
                    call.url, json=call.json_body, headers={"X-CSRFToken": token}
                )
            else:
                response = client.post(call.url, data={**call.data, "csrf_token": token})
            bodies.append((f"{endpoint} {call.url}", response.get_data(as_text=True)))
    for fmt in ("csv", "xlsx"):
        started = client.post(
            "/exports/",
            data={
                "reason": "canary export run",
                "format": fmt,
                "area": world.own_region,
                "csrf_token": token,
            },
        )
        # A role without the export right is refused at once; others get the file from a job.
        response = download_result(client, started) if started.status_code == 303 else started
        bodies.append((f"export job page {fmt}", client.get("/jobs/").get_data(as_text=True)))
        body = response.get_data(as_text=True) if fmt == "csv" else _xlsx_text(response.data)
        bodies.append((f"export {fmt}", body))
    response = client.post(
        "/exports/subject-access",
        data={"number": world.own.number, "reason": "canary subject access", "csrf_token": token},
    )
    bodies.append(("subject access own", response.get_data(as_text=True)))
    errors = [
        client.get(f"/nothing/{OWN.national_id}"),
        client.post("/exports/", data={"reason": OWN.family_name}),  # no CSRF token
        client.post(
            "/login", data={"username": OWN.phone, "password": OWN.national_id, "csrf_token": token}
        ),
        client.get("/api/v1/statistics/households?lang=" + OWN.given_name),
        client.get(f"/audit/?target={OWN.phone}&since=notadate&before=x"),
    ]
    bodies += [(f"echo {r.status_code}", r.get_data(as_text=True)) for r in errors]
    return bodies


def _xlsx_text(data: bytes) -> str:
    if not data.startswith(b"PK"):
        return data.decode(errors="replace")
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return json.dumps(
        [[str(c) for c in row] for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    )


@pytest.mark.parametrize("role", [None, *ROLES])
def test_markers_reach_only_those_who_may_see_them(
    app: Flask, db_session: Session, role: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world(db_session, app)
    client = client_as(app, world, role)
    allowed = _visible_own_markers(role)
    forbidden = FOREIGN.all + tuple(m for m in OWN.all if m not in allowed)
    problems = []
    for label, body in _exercise(client, world):
        if found := leaked(body, FOREIGN.all if label.startswith("echo") else forbidden):
            problems.append(f"{label}: {found}")
    assert not problems, f"role {role}: " + "; ".join(problems)
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert not leaked(logs, OWN.all + FOREIGN.all), "personal data in the logs"
    audit = db_session.scalars(select(AuditEvent)).all()
    blob = json.dumps([[e.actor_name, e.target_id, e.details] for e in audit], ensure_ascii=False)
    assert not leaked(blob, OWN.all + FOREIGN.all), "personal data in the audit log"


def test_roles_that_may_see_the_data_do_see_it(app: Flask, db_session: Session) -> None:
    """Guards the canary itself: if nothing ever showed the markers, it could not fail."""
    world = build_world(db_session, app)
    bodies = dict(_exercise(client_as(app, world, "admin"), world))
    assert OWN.national_id in bodies["export csv"] and OWN.phone in bodies["subject access own"]
    manager = dict(_exercise(client_as(app, world, "program_manager"), world))
    assert OWN.family_name in manager["export csv"]
    assert OWN.national_id not in manager["export csv"] and "•••••912" in manager["export csv"]
