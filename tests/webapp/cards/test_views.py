from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.cards.models import CardStatus, VerificationEvent
from registry.cards.revocations import read_revocation_list
from registry.cards.service import active_card, issue_card, revoke_card
from registry.origin import Origin
from tests.conftest import AuthActions, csrf_token
from tests.factories import community, make_household
from tests.webapp.cards.helpers import card_manager, field_worker, page_csrf

ORIGIN = Origin.system("tests")


def _card(app: Flask, db_session: Session, region_index: int = 0):  # type: ignore[no-untyped-def]
    household = make_household(db_session, community(db_session, region_index))
    card = issue_card(db_session, household, origin=ORIGIN, keyring=app.extensions["kinga_keyring"])
    db_session.commit()
    return card


def test_api_verifies_a_qr_and_a_number(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    card = _card(app, db_session)
    answer = client.post("/api/v1/cards/verify", json={"qr": card.payload}).get_json()
    assert answer["valid"] is True and answer["reason"] == "ok"
    assert answer["card_number"] == card.number and answer["kid"] == card.key_id
    by_number = client.post("/api/v1/cards/verify", json={"number": card.number}).get_json()
    assert by_number == {
        "valid": True,
        "reason": "ok",
        "message": "Valid card.",
        "card_number": card.number,
    }
    typo = card.number[:-1] + str((int(card.number[-1]) + 3) % 10)
    assert (
        client.post("/api/v1/cards/verify", json={"number": typo}).get_json()["reason"]
        == "bad_number"
    )
    assert client.post("/api/v1/cards/verify", json={"nothing": 1}).status_code == 400


def test_api_sees_revocation(app: Flask, client: FlaskClient, db_session: Session) -> None:
    card = _card(app, db_session)
    revoke_card(db_session, card, reason="stolen", origin=ORIGIN)
    db_session.commit()
    for body in ({"qr": card.payload}, {"number": card.number}):
        answer = client.post("/api/v1/cards/verify", json=body).get_json()
        assert (answer["valid"], answer["reason"]) == (False, "revoked")


def test_api_needs_no_csrf_and_is_rate_limited(client: FlaskClient) -> None:
    statuses = [
        client.post("/api/v1/cards/verify", json={"number": "123456789015"}).status_code
        for _ in range(35)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_published_keys_and_signed_revocation_list(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    card = _card(app, db_session)
    first = client.get("/.well-known/kinga-revoked.json").get_json()
    revoke_card(db_session, card, reason="lost", origin=ORIGIN)
    db_session.commit()
    response = client.get("/.well-known/kinga-revoked.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    second = response.get_json()
    ring = app.extensions["kinga_keyring"]
    payload = read_revocation_list(second, ring)
    assert payload is not None and card.number in payload["revoked"]
    assert payload["version"] > first["version"]
    forged = dict(second, jws=second["jws"][:-4] + "AAAA")
    assert read_revocation_list(forged, ring) is None
    keys = client.get("/.well-known/kinga-keys.json").get_json()["keys"]
    assert [k["kid"] for k in keys] == [card.key_id]


def test_verify_page_is_open_and_has_no_inline_script(client: FlaskClient) -> None:
    page = client.get("/verify")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "verify-page.js" in html
    assert "<script>" not in html and "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_check_records_and_shows_holder_within_areas(
    app: Flask, client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    mine, theirs = _card(app, db_session, 0), _card(app, db_session, 1)
    field_worker(db_session, 0)
    auth.login("checker")
    token = csrf_token(client, "/verify")
    answer = client.post(
        "/verify/check", json={"qr": mine.payload}, headers={"X-CSRFToken": token}
    ).get_json()
    assert answer["valid"] and answer["holder"]["name"] == "Amina Otieno"
    assert answer["holder"]["household_number"] == mine.household.number
    other = client.post(
        "/verify/check", json={"number": theirs.number}, headers={"X-CSRFToken": token}
    ).get_json()
    assert other["valid"] and other["holder"] is None
    events = list(db_session.scalars(select(VerificationEvent).order_by(VerificationEvent.id)))
    assert [(e.card_number, e.method, e.valid) for e in events] == [
        (mine.number, "qr", True),
        (theirs.number, "number", True),
    ]


def test_check_needs_login_and_csrf(
    app: Flask, client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    card = _card(app, db_session)
    assert client.post("/verify/check", json={"qr": card.payload}).status_code in (400, 401)
    field_worker(db_session)
    auth.login("checker")
    assert client.post("/verify/check", json={"qr": card.payload}).status_code == 400


def test_desk_issue_revoke_reissue(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    card_manager(db_session)
    household = make_household(db_session, community(db_session))
    db_session.commit()
    auth.login("issuer")
    token = page_csrf(client, "/cards/")
    page = client.post("/cards/", data={"q": household.number, "csrf_token": token}).get_data(
        as_text=True
    )
    assert household.number in page and "no card" in page
    token = page_csrf(client, "/cards/")
    client.post(f"/cards/household/{household.number}/issue", data={"csrf_token": token})
    old = active_card(db_session, household, None)
    assert old is not None
    client.post(
        f"/cards/{old.number}/revoke", data={"csrf_token": token, "reason": "lost", "reissue": "1"}
    )
    db_session.refresh(old)
    new = active_card(db_session, household, None)
    assert old.status == CardStatus.REVOKED and new is not None and new.number != old.number
    html = client.get(f"/cards/household/{household.number}").get_data(as_text=True)
    assert " ".join(new.number[i : i + 4] for i in (0, 4, 8)) in html


def test_desk_is_scoped_and_permissioned(
    app: Flask, client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    elsewhere = _card(app, db_session, 1)
    card_manager(db_session, 0)
    field_worker(db_session, 0, username="worker")
    auth.login("issuer")
    assert client.get(f"/cards/{elsewhere.number}.png").status_code == 404
    assert client.get(f"/cards/household/{elsewhere.household.number}").status_code == 404
    auth.logout()
    auth.login("worker")
    assert client.get("/cards/").status_code == 403


def test_home_tiles(client: FlaskClient, auth: AuthActions, db_session: Session) -> None:
    card_manager(db_session)
    auth.login("issuer")
    assert "Beneficiary cards" in client.get("/").get_data(as_text=True)


def test_unsafe_keys_directory_stops_the_app(tmp_path: Path, engine, settings) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from registry.cards.keys import KeysUnavailable
    from webapp import create_app

    keys = tmp_path / "open-keys"
    keys.mkdir(mode=0o755)
    keys.chmod(0o755)  # noqa: S103 - the unsafe case under test
    with pytest.raises(KeysUnavailable):
        create_app(
            {
                "TESTING": True,
                "KINGA_SETTINGS": settings,
                "KINGA_ENGINE": engine,
                "KINGA_KEYS_DIR": str(keys),
            }
        )
