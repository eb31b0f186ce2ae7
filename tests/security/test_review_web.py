"""Findings 3, 5 and 6 of the first security review (docs/security.md): redirects, proxies,
and what anonymous callers can write."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.users.roles import Role
from tests.conftest import _make_app, csrf_token
from tests.factories import PASSWORD, make_user, region

EVIL_NEXT = [
    "/%09/evil.example/phish",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "//evil.example",
    "/\\evil.example",
    "/%5cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_finding_3_login_redirects_only_to_local_paths(
    client: FlaskClient, db_session: Session, target: str
) -> None:
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="rita")
    db_session.commit()
    response = client.post(
        f"/login?next={target}",
        data={"username": "rita", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, target
    assert response.headers["Location"] == "/", target


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_finding_3_language_switch_redirects_only_to_local_paths(
    client: FlaskClient, target: str
) -> None:
    from urllib.parse import unquote

    response = client.post(
        "/language",
        data={"lang": "fr", "next": unquote(target), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target


def test_finding_3_local_paths_still_work(client: FlaskClient) -> None:
    response = client.post(
        "/language",
        data={"lang": "fr", "next": "/inbox/?page=2", "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/inbox/?page=2"


def _proxied_app(engine, settings, kv, session_factory, hops: int) -> Flask:  # type: ignore[no-untyped-def]
    app = _make_app(engine, replace(settings, trusted_proxies=hops), kv)
    app.extensions["kinga"].sessionmaker = session_factory
    return app


def _login(client: FlaskClient, username: str, password: str, forwarded: str) -> int:
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        headers={"X-Forwarded-For": forwarded},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},  # the proxy
    ).status_code


def test_finding_5_behind_a_trusted_proxy_each_client_has_its_own_bucket(
    engine, settings, kv, session_factory, db_session: Session
) -> None:  # type: ignore[no-untyped-def]
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="ruth")
    db_session.commit()
    app = _proxied_app(engine, settings, kv, session_factory, 1)
    app.config["KINGA_LOGIN_LIMIT"] = "10 per minute"
    attacker = app.test_client()
    codes = [_login(attacker, f"guess{i}", "x", "203.0.113.9") for i in range(12)]
    assert codes[-1] == 429
    owner = app.test_client()
    assert _login(owner, "ruth", PASSWORD, "198.51.100.7") == 302


def test_finding_5_without_trusted_proxies_the_header_is_ignored(
    engine, settings, kv, session_factory
) -> None:  # type: ignore[no-untyped-def]
    app = _proxied_app(engine, settings, kv, session_factory, 0)
    app.config["KINGA_LOGIN_LIMIT"] = "3 per minute"
    client = app.test_client()
    codes = [_login(client, "x", "y", f"198.51.100.{i}") for i in range(5)]
    assert codes[-1] == 429  # a forged X-Forwarded-For buys no fresh bucket


def test_finding_5_allow_list_sees_the_client_behind_the_proxy(
    engine, settings, kv, session_factory
) -> None:  # type: ignore[no-untyped-def]
    app = _proxied_app(engine, settings, kv, session_factory, 1)
    kinga = app.extensions["kinga"]
    kinga.settings = replace(kinga.settings, at_allowed_ips=("52.48.80.0/24",))
    client = app.test_client()
    form = {"sessionId": "px1", "phoneNumber": "+254799000020", "serviceCode": "*384*123#"}

    def call(forwarded: str) -> int:
        return client.post(
            "/ussd/africastalking/test-at-token",
            data=form,
            headers={"X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ).status_code

    assert call("52.48.80.7") == 200
    assert call("10.0.0.5") == 404


def test_finding_6_anonymous_refusals_do_not_grow_the_audit_chain(
    client: FlaskClient, db_session: Session, kv
) -> None:  # type: ignore[no-untyped-def]
    from registry import counters
    from webapp.refusals import ANONYMOUS_COUNTER

    before = db_session.scalar(select(func.count()).select_from(AuditEvent))
    counted = counters.count(kv, ANONYMOUS_COUNTER)
    for i in range(100):
        assert client.post("/sms/twilio", data={"From": "+1", "Body": f"x{i}"}).status_code == 403
        wrong = client.post("/sms/africastalking/wrong/inbound", data={"id": str(i)})
        assert wrong.status_code == 403
    assert db_session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert counters.count(kv, ANONYMOUS_COUNTER) == counted + 200
