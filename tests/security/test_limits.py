"""flask-limiter limits on logins and on USSD/SMS status lookups (memory, or Redis in CI)."""

from __future__ import annotations

from flask import Flask, request
from flask.testing import FlaskClient

from registry.i18n import translate_ctx
from tests.conftest import csrf_token
from webapp import csrf
from webapp.limits import apply_limits, note_status_lookup, status_lookup_limit


def test_login_attempts_from_one_address_are_limited(app: Flask, client: FlaskClient) -> None:
    app.config["KINGA_LOGIN_LIMIT"] = "5 per minute"
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"username": f"guess{i}", "password": "x", "csrf_token": token}
        ).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "x", "password": "y", "csrf_token": csrf_token(other)},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 401  # another address is not held back
    assert "Too many requests" in client.post("/login", data={"csrf_token": token}).get_data(
        as_text=True
    )


def test_one_user_name_is_limited_across_addresses(app: Flask, client: FlaskClient) -> None:
    app.config["KINGA_LOGIN_USER_LIMIT"] = "3 per hour"
    token = csrf_token(client)
    codes = []
    for i in range(5):
        codes.append(
            client.post(
                "/login",
                data={"username": "Target", "password": "x", "csrf_token": token},
                environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
            ).status_code
        )
    assert codes == [401, 401, 401, 429, 429]


def _lookup_client(app: Flask) -> FlaskClient:
    @status_lookup_limit
    def lookup() -> str:
        if request.form.get("text") != "menu":
            note_status_lookup()
        return "END ok"

    app.add_url_rule(
        "/test-status-lookup", "test_status_lookup", csrf.exempt(lookup), methods=["POST"]
    )
    apply_limits(app)
    return app.test_client()


def _ask(client: FlaskClient, phone: str) -> int:
    return client.post("/test-status-lookup", data={"phoneNumber": phone}).status_code


def test_status_lookup_limit_is_per_caller_phone(app: Flask) -> None:
    app.config["KINGA_STATUS_LOOKUP_LIMIT"] = "4 per minute"
    client = _lookup_client(app)
    menus = [
        client.post("/test-status-lookup", data={"phoneNumber": "+254700000001", "text": "menu"})
        for _ in range(6)
    ]
    assert all(r.status_code == 200 for r in menus)  # screens without a lookup do not count
    assert [_ask(client, "+254700000001") for _ in range(6)] == [200] * 4 + [429] * 2
    assert _ask(client, "+254700000002") == 200


def test_status_lookups_through_one_gateway_are_capped(app: Flask) -> None:
    app.config["KINGA_STATUS_LOOKUP_GATEWAY_LIMIT"] = "3 per minute"
    client = _lookup_client(app)
    assert [_ask(client, f"+2547000001{i:02d}") for i in range(5)] == [200] * 3 + [429] * 2


def test_ussd_refusal_is_a_screen_within_182_characters_in_every_language() -> None:
    for language in ("en", "fr", "sw", "pt", "ar"):
        text = translate_ctx(language, "ussd", "Too many tries. Please try again later.")
        assert len("END " + text) <= 182
        assert language == "en" or text != "Too many tries. Please try again later."


def test_limited_ussd_caller_gets_an_end_screen(app: Flask) -> None:
    app.config["KINGA_STATUS_LOOKUP_LIMIT"] = "1 per minute"
    client = app.test_client()
    data = {
        "sessionId": "s1",
        "serviceCode": "*384*123#",
        "phoneNumber": "+254799111000",
        "networkCode": "63902",
        "text": "*384*123*1*2*123456782*1980#",
    }
    first = client.post("/ussd/africastalking", data=data)
    second = client.post("/ussd/africastalking", data={**data, "sessionId": "s2"})
    assert first.status_code == second.status_code == 200
    assert second.get_data(as_text=True).startswith("END Too many tries")
    assert second.mimetype == "text/plain"
