"""A live Kinga on 127.0.0.1 (random port, its own SQLite file) and headless Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.kvstore import make_store
from registry.migrate import upgrade
from registry.settings import Settings
from tests.factories import PASSWORD, community, make_user

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Live:
    url: str
    engine: object
    community_code: str

    def session(self) -> Session:
        return Session(self.engine)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    from werkzeug.serving import make_server

    from webapp import create_app

    folder = tmp_path_factory.mktemp("live")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        place = community(session, 0, 0)
        make_user(session, {"field_worker"}, [place.parent.parent.code], username="walker")
        make_user(
            session,
            {"field_worker"},
            [place.parent.parent.code],
            username="walker-ar",
            language="ar",
        )
        code = place.code
        session.commit()
    settings = replace(
        Settings.from_env(),
        database_url=str(engine.url),
        redis_url=None,
        secret_key="browser-test-secret",
        public_url="http://127.0.0.1",
        languages=("en", "fr", "sw", "pt", "ar"),
        sms_provider="memory",
    )
    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": settings,
            "KINGA_ENGINE": engine,
            "KINGA_KV": make_store(engine, None),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Live(f"http://127.0.0.1:{server.server_port}", engine, code)
    server.shutdown()
    thread.join(timeout=5)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def login(page, live: Live, username: str = "walker") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live.url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live.url}/")
