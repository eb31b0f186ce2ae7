"""flask-limiter limits on logins and on USSD/SMS status lookups (memory, or Redis in CI)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from registry.i18n import translate_ctx
from tests.conftest import csrf_token


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


def test_one_user_name_from_one_address_is_limited_not_everywhere(
    app: Flask, client: FlaskClient
) -> None:
    app.config["KINGA_LOGIN_USER_LIMIT"] = "3 per hour"
    token = csrf_token(client)

    def attempt(address: str) -> int:
        return client.post(
            "/login",
            data={"username": "Target", "password": "x", "csrf_token": token},
            environ_base={"REMOTE_ADDR": address},
        ).status_code

    assert [attempt("10.0.0.1") for _ in range(5)] == [401, 401, 401, 429, 429]
    assert attempt("10.0.0.2") == 401  # the name's owner elsewhere is not refused


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
    first = client.post("/ussd/africastalking/test-at-token", data=data)
    second = client.post(
        "/ussd/africastalking/test-at-token",
        data={**data, "sessionId": "s2", "text": "*384*123*2#"},  # English is known now
    )
    assert first.status_code == second.status_code == 200
    assert second.get_data(as_text=True).startswith("END Too many tries")
    assert second.mimetype == "text/plain"
