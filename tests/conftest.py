"""Fixtures in the style of the Flask tutorial: `app`, `client`, `auth`, `db_session`.

Each test runs inside a transaction that is rolled back. The database is SQLite, or the one in
`KINGA_TEST_DATABASE_URL` (PostgreSQL in CI); the key-value store is SQL, or Redis when
`KINGA_TEST_REDIS_URL` is set. No test may reach beyond this machine.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.grievances.demo import load_categories
from registry.kvstore import KeyValueStore, RedisKeyValueStore, SqlKeyValueStore
from registry.migrate import upgrade
from registry.origin import Origin
from registry.settings import Settings
from tests import network_guard
from tests.factories import PASSWORD

TEST_DATABASE_URL = os.environ.get("KINGA_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("KINGA_TEST_REDIS_URL")
IN_CI = os.environ.get("CI") == "true"


def pytest_sessionstart(session: pytest.Session) -> None:
    network_guard.install()


def _reset_postgresql(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        try:
            _reset_postgresql(engine)
        except Exception as exc:  # the run must fail, not skip, when the service is down
            pytest.exit(f"KINGA_TEST_DATABASE_URL unreachable: {exc}", returncode=3)
    else:
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        # Categories are configuration every deployment starts with (the demo set).
        load_categories(session, Origin.system("tests"))
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture()
def connection(engine: Engine) -> Iterator[Connection]:
    connection = engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


@pytest.fixture()
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture()
def db_session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture()
def kv(session_factory: sessionmaker[Session]) -> Iterator[KeyValueStore]:
    if TEST_REDIS_URL:
        store = RedisKeyValueStore(TEST_REDIS_URL, prefix=f"kinga-test:{uuid.uuid4().hex}:")
        try:
            store.client.ping()
        except Exception as exc:
            pytest.exit(f"KINGA_TEST_REDIS_URL unreachable: {exc}", returncode=3)
        yield store
        for key in store.client.scan_iter(store.prefix + "*"):
            store.client.delete(key)
    else:
        yield SqlKeyValueStore(session_factory)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    os.environ["KINGA_INSTANCE_DIR"] = str(tmp_path / "instance")
    base = Settings.from_env()
    return replace(
        base,
        database_url=TEST_DATABASE_URL or "sqlite://",
        redis_url=TEST_REDIS_URL,
        secret_key="test-secret-key",
        public_url="http://localhost",
        languages=("en", "fr", "sw", "pt", "ar"),
        sms_provider="memory",
        demo=True,
        demo_password=PASSWORD,
        at_callback_token="test-at-token",
    )


@pytest.fixture()
def app(
    engine: Engine, session_factory: sessionmaker[Session], kv: KeyValueStore, settings: Settings
) -> Flask:
    app = _make_app(engine, settings, kv)
    app.extensions["kinga"].sessionmaker = session_factory
    return app


def _make_app(engine: Engine, settings: Settings, kv: KeyValueStore) -> Flask:
    from webapp import create_app

    return create_app(
        {"TESTING": True, "KINGA_SETTINGS": settings, "KINGA_ENGINE": engine, "KINGA_KV": kv}
    )


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str, password: str = PASSWORD, language: str | None = None):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client)
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        if language:
            self.client.post("/language", data={"lang": language, "csrf_token": token, "next": "/"})
        return response

    def logout(self):  # type: ignore[no-untyped-def]
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture()
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture()
def run_queued_jobs(app: Flask) -> Callable[..., list[int]]:
    """Runs the jobs that are queued, in this process, through the real runner.

    Call it as `run_queued_jobs()` (the app's sessions) or `run_queued_jobs(app_or_sessionmaker)`.
    """
    from registry.jobs.running import run_queued_jobs as run_all

    def run(target: Flask | sessionmaker[Session] | None = None) -> list[int]:
        if target is None:
            target = app
        factory = target.extensions["kinga"].sessionmaker if isinstance(target, Flask) else target
        return run_all(factory, heartbeat=False)

    return run
