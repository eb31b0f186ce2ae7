"""The isolation matrix: every route x every role x an object of another region.

A role lacking the permission gets 403 (anonymous: the login page or 401); a role holding it
gets a refusal for the foreign object; no response ever carries the foreign household's data.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.users.roles import can
from tests.conftest import CSRF_RE
from tests.security.matrix import (
    COVERAGE,
    LOGIN,
    LOGIN_SCOPED,
    PERMISSION,
    PUBLIC,
    SCOPED,
    SKIP,
    Call,
)
from tests.security.world import FOREIGN, ROLES, World, build_world, client_as, leaked


def test_every_route_is_covered_by_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(COVERAGE))
    assert not missing, f"routes missing from tests/security/matrix.py COVERAGE: {missing}"
    stale = sorted(set(COVERAGE) - endpoints)
    assert not stale, f"COVERAGE lists endpoints that no longer exist: {stale}"
    for endpoint, case in COVERAGE.items():
        if case.kind == SKIP:
            assert case.reason, f"{endpoint}: a skipped route must say which test covers it"
        if case.kind in (PERMISSION, SCOPED):
            assert case.permission is not None, endpoint


def _token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    if match is None:  # logged in: /login redirects; any page with a form carries the token
        match = CSRF_RE.search(client.get("/").get_data(as_text=True))
    assert match
    return match.group(1)


def _send(client: FlaskClient, call: Call, token: str):  # type: ignore[no-untyped-def]
    if call.method == "GET":
        return client.get(call.url)
    if call.json_body is not None:
        return client.post(call.url, json=call.json_body, headers={"X-CSRFToken": token})
    return client.post(call.url, data={**call.data, "csrf_token": token})


def _expected(
    kind: str, role: str | None, permission: object, refused: tuple[int, ...]
) -> set[int]:
    anonymous = {302, 401}
    if kind == PUBLIC:
        return set(range(200, 500)) - {500}
    if kind == LOGIN:
        return anonymous if role is None else {200}
    if kind == LOGIN_SCOPED:
        return anonymous if role is None else set(refused)
    allowed = role is not None and can({role}, permission)  # type: ignore[arg-type]
    if role is None:
        return anonymous
    if not allowed:
        return {403}
    # 303: a started job sends its page (see webapp.jobs.start_job)
    return set(refused) if kind == SCOPED else {200, 302, 303, 404}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_route_gives_another_region_away(
    app: Flask, db_session: Session, role: str | None
) -> None:
    world: World = build_world(db_session, app)
    client = client_as(app, world, role)
    token = _token(client)
    problems = []
    checked = 0
    for endpoint, case in COVERAGE.items():
        if case.kind == SKIP:
            continue
        expected = _expected(case.kind, role, case.permission, case.refused)
        for call in case.calls(world):
            response = _send(client, call, token)
            body = response.get_data(as_text=True)
            checked += 1
            if response.status_code not in expected:
                problems.append(f"{endpoint} {call.method} {call.url}: {response.status_code}")
            if found := leaked(body, FOREIGN.all):
                problems.append(f"{endpoint} {call.method} {call.url}: leaks {found}")
    assert checked >= len(COVERAGE) - 1
    assert not problems, f"role {role}: " + "; ".join(problems)
