import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.origin import Origin
from registry.users.roles import Role
from registry.users.service import change_password, set_active
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, make_user, region


def _worker(db_session: Session, language: str = "en"):  # type: ignore[no-untyped-def]
    user = make_user(
        db_session,
        {Role.FIELD_WORKER},
        [region(db_session, 0).code],
        username="faith",
        language=language,
    )
    db_session.commit()
    return user


def test_login_shows_the_home_page_of_the_role(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _worker(db_session)
    assert client.get("/").status_code == 302
    response = auth.login("faith")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Faith" in page and "Field worker" in page
    assert "Pwani Region" in page


def test_wrong_password_and_unknown_user_look_the_same(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _worker(db_session)
    wrong = auth.login("faith", "not the password")
    unknown = auth.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.get_data(as_text=True)
    assert "Wrong user name or password." in unknown.get_data(as_text=True)
    actions = [e.action for e in db_session.scalars(select(AuditEvent))]
    # A real account's failure is audited; an unknown name is only counted (anyone could
    # otherwise grow the append-only audit chain without a login).
    assert actions.count("login.failed") == 1


def _attempts(client: FlaskClient, username: str, address: str, n: int, password: str) -> str:
    body = ""
    for _ in range(n):
        body = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_token(client)},
            environ_base={"REMOTE_ADDR": address},
        ).get_data(as_text=True)
    return body


def test_finding_7_known_and_unknown_names_get_the_same_answers(
    app: Flask, db_session: Session
) -> None:
    _worker(db_session)
    client = app.test_client()
    known = _attempts(client, "faith", "10.7.0.1", 6, "bad password!")
    unknown = _attempts(client, "nobody-here", "10.7.0.1", 6, "bad password!")
    assert "Too many failed attempts" in known and "Too many failed attempts" in unknown
    first_known = _attempts(app.test_client(), "faith", "10.7.0.2", 1, "bad password!")
    first_unknown = _attempts(app.test_client(), "nobody-else", "10.7.0.2", 1, "bad password!")
    assert "Wrong user name or password." in first_known
    assert "Wrong user name or password." in first_unknown


def test_finding_7_failures_slow_the_attacker_not_the_rightful_user(
    app: Flask, db_session: Session
) -> None:
    _worker(db_session)
    attacker = app.test_client()
    _attempts(attacker, "faith", "10.8.0.66", 10, "guess guess!")
    refused = _attempts(attacker, "faith", "10.8.0.66", 1, PASSWORD)
    assert "Too many failed attempts" in refused  # the attacker's address waits
    owner = app.test_client()
    response = owner.post(
        "/login",
        data={"username": "faith", "password": PASSWORD, "csrf_token": csrf_token(owner)},
        environ_base={"REMOTE_ADDR": "10.8.0.1"},
    )
    assert response.status_code == 302  # the real user, from her office, logs in


def test_login_message_is_localized(client: FlaskClient, db_session: Session) -> None:
    token = csrf_token(client)
    client.post("/language", data={"lang": "fr", "csrf_token": token, "next": "/login"})
    response = client.post("/login", data={"username": "x", "password": "y", "csrf_token": token})
    assert "Nom d'utilisateur ou mot de passe incorrect." in html.unescape(
        response.get_data(as_text=True)
    )


def test_missing_csrf_token_is_refused_with_a_clear_page(
    client: FlaskClient, db_session: Session
) -> None:
    _worker(db_session)
    response = client.post("/login", data={"username": "faith", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "login.success")) is None


def test_logout_really_ends_the_session(
    app: Flask, client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _worker(db_session)
    auth.login("faith")
    stolen = client.get_cookie("kinga_session")
    assert stolen is not None
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("kinga_session", stolen.value)
    assert thief.get("/").status_code == 302


def test_disabling_a_user_or_changing_the_password_ends_their_sessions(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    user = _worker(db_session)
    auth.login("faith")
    assert client.get("/").status_code == 200
    set_active(db_session, Origin.system(), user, False)
    db_session.commit()
    assert client.get("/").status_code == 302
    set_active(db_session, Origin.system(), user, True)
    db_session.commit()
    auth.login("faith")
    assert client.get("/").status_code == 200
    change_password(db_session, Origin.system(), user, "a brand new password")
    db_session.commit()
    assert client.get("/").status_code == 302


def test_arabic_pages_are_right_to_left(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _worker(db_session, language="ar")
    auth.login("faith")
    page = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert "مرحبًا" in page


def test_language_switch_offers_every_language_named_in_itself(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    for name in ["English", "Français", "Kiswahili", "Português", "العربية"]:
        assert name in page


def test_open_redirects_are_refused(client: FlaskClient, db_session: Session) -> None:
    _worker(db_session)
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example/",
        data={"username": "faith", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_passwords_never_reach_the_log(
    client: FlaskClient, auth: AuthActions, db_session: Session, caplog
) -> None:  # type: ignore[no-untyped-def]
    _worker(db_session)
    caplog.set_level("DEBUG")
    auth.login("faith", "my secret attempt")
    auth.login("faith")
    assert "my secret attempt" not in caplog.text and PASSWORD not in caplog.text


def test_failed_logins_on_sqlite_with_the_key_value_store_on_its_own_connection(
    tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    """As under `make run`: SQLite, the key-value store in its own connection. Counting a
    failure must not wait for the request's own write lock ("database is locked")."""
    from dataclasses import replace

    from registry.db import make_engine
    from registry.demo.loader import load_areas
    from registry.kvstore import make_store
    from registry.migrate import upgrade
    from registry.users.service import create_user
    from tests.conftest import _make_app

    engine = make_engine(f"sqlite:///{tmp_path / 'own.db'}")
    upgrade(engine)
    with Session(engine) as session:
        code = load_areas(session)[0].code
        create_user(
            session,
            Origin.system("tests"),
            username="faith",
            full_name="Faith",
            password=PASSWORD,
            roles={Role.FIELD_WORKER},
            area_codes=[code],
        )
        session.commit()
    app = _make_app(
        engine, replace(settings, database_url=str(engine.url)), make_store(engine, None)
    )
    client = app.test_client()
    bodies = []
    for _ in range(6):
        response = client.post(
            "/login",
            data={"username": "faith", "password": "wrong!", "csrf_token": csrf_token(client)},
        )
        bodies.append((response.status_code, response.get_data(as_text=True)))
    assert all(code == 401 for code, _ in bodies), [code for code, _ in bodies]
    assert "Too many failed attempts" in bodies[-1][1]
    engine.dispose()
