"""Fuzzing: schemathesis over /api/v1/openapi.json, hypothesis over the web forms and query
strings. No 5xx, and no stack trace in any response."""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.conftest import CSRF_RE
from tests.security.world import World, build_world, client_as
from webapp.api.openapi import described_paths

TRACE_MARKERS = (
    "Traceback (most recent call last)",
    'File "/',
    "sqlalchemy.exc",
    "Werkzeug Debugger",
)
# A quick pass by default; KINGA_FUZZ_EXAMPLES=2000 for a deep run (see docs/security.md).
FUZZ = settings(
    max_examples=int(os.environ.get("KINGA_FUZZ_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400
) | st.sampled_from(
    [
        "",
        "0",
        "-1",
        "9" * 40,
        "' OR 1=1 --",
        "<script>x</script>",
        "%s%n",
        "../../etc/passwd",
        "\x00",
        "ﷺ" * 50,
        "2026-02-30",
        "12345678903",
    ]
)


def _clean(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    assert not any(marker in body for marker in TRACE_MARKERS)


def _operations(app: Flask) -> list:  # type: ignore[type-arg]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_api_follows_its_description(app: Flask, db_session: Session) -> None:
    build_world(db_session)
    app.extensions["kinga_limiter"].enabled = False
    operations = _operations(app)
    assert {op.path for op in operations} >= {"/statistics/households"}
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call()
            case.validate_response(response)
            assert not any(marker in response.text for marker in TRACE_MARKERS)

        check()


def test_every_api_route_is_described(app: Flask) -> None:
    """The fuzzer only reaches what the description lists: an undescribed route fails here."""
    described = {
        (f"/api/v1{path}", method.upper())
        for path, operations in described_paths(app).items()
        for method in operations
    }
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<", "{").replace(">", "}")
            path = re.sub(r"\{[^:}]+:", "{", path)
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                assert (path, method) in described, f"{method} {rule.rule} missing from openapi"


@pytest.fixture()
def world(app: Flask, db_session: Session) -> World:
    return build_world(db_session)


def _admin(app: Flask, world: World) -> tuple[FlaskClient, str]:
    client = client_as(app, world, "admin")
    match = CSRF_RE.search(client.get("/").get_data(as_text=True))
    assert match
    return client, match.group(1)


@FUZZ
@given(reason=text, fmt=text, area=text, status=text)
def test_export_form(
    app: Flask, world: World, reason: str, fmt: str, area: str, status: str
) -> None:
    client, token = _admin(app, world) if not hasattr(world, "_client") else world._client  # type: ignore[attr-defined]
    world._client = (client, token)  # type: ignore[attr-defined]
    data = {"reason": reason, "format": fmt, "area": area, "status": status, "csrf_token": token}
    _clean(client.post("/exports/", data=data))


@FUZZ
@given(number=text, reason=text)
def test_subject_access_form(app: Flask, world: World, number: str, reason: str) -> None:
    client, token = _admin(app, world) if not hasattr(world, "_client") else world._client  # type: ignore[attr-defined]
    world._client = (client, token)  # type: ignore[attr-defined]
    data = {"number": number, "reason": reason, "csrf_token": token}
    _clean(client.post("/exports/subject-access", data=data))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["action", "actor", "channel", "area", "target", "since", "until", "before"]
        ),
        text,
    )
)
def test_audit_filters(app: Flask, world: World, params: dict[str, str]) -> None:
    client = client_as(app, world, "auditor") if not hasattr(world, "_auditor") else world._auditor  # type: ignore[attr-defined]
    world._auditor = client  # type: ignore[attr-defined]
    _clean(client.get("/audit/", query_string=params))


@FUZZ
@given(username=text, password=text, lang=text, nxt=text)
def test_login_and_language_forms(
    app: Flask, db_session: Session, username: str, password: str, lang: str, nxt: str
) -> None:
    app.extensions["kinga_limiter"].enabled = False
    client = app.test_client()
    match = CSRF_RE.search(client.get("/login").get_data(as_text=True))
    assert match
    token = match.group(1)
    _clean(
        client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
    )
    _clean(client.post("/language", data={"lang": lang, "next": nxt, "csrf_token": token}))
