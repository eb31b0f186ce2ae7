"""A live Kinga on 127.0.0.1 (own SQLite file, demo areas and users) and a real Chromium."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas, load_households, load_users
from registry.migrate import upgrade
from registry.origin import Origin
from registry.settings import Settings
from tests.factories import PASSWORD, community, make_user
from tests.live import app_on, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LAUNCH_ARGS = CHROMIUM_ARGS
# The screenshots kept in docs/ are refreshed with KINGA_SCREENSHOTS=1; otherwise a test run
# leaves the working tree alone and writes them to a temporary folder.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("KINGA_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="kinga-screens-"))
)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from webapp import create_app

    folder = tmp_path_factory.mktemp("live")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        load_users(session, Origin.system("tests"), PASSWORD)
        session.commit()
    load_households(engine, 200, seed=11)
    settings = replace(
        Settings.from_env(),
        database_url=str(engine.url),
        redis_url=None,
        secret_key="browser-test-secret",
        public_url="http://127.0.0.1",
        sms_provider="memory",
        demo=True,
        demo_password=PASSWORD,
    )
    app = create_app({"KINGA_SETTINGS": settings, "KINGA_ENGINE": engine})
    with serving(app) as base_url:
        yield base_url
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Playwright per test module: a module that starts its own sync Playwright must not
    find another one's event loop still running."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make dev` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def phone_page(browser):  # type: ignore[no-untyped-def]
    """A 360x640 page, the screen of a cheap Android phone."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def desk_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    yield page
    context.close()


@dataclass
class Live:
    """A live server of the field-form tests, with its engine and a community of region 1."""

    url: str
    engine: object
    community_code: str

    def session(self) -> Session:
        return Session(self.engine)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:

    folder = tmp_path_factory.mktemp("live-field")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        place = community(session, 0, 0)
        region_code = place.parent.parent.code  # type: ignore[union-attr]
        for username, language in (("walker", "en"), ("walker-2", "en"), ("walker-ar", "ar")):
            make_user(
                session, {"field_worker"}, [region_code], username=username, language=language
            )
        code = place.code
        session.commit()
    app = app_on(engine)
    with serving(app) as base_url:
        yield Live(base_url, engine, code)
    engine.dispose()


def login(page, target: str | Live, username: str = "walker", password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Logs in through the real form; `target` is a base URL or a `Live` server."""
    base_url = target.url if isinstance(target, Live) else target
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button.primary")
    page.wait_for_url(f"{base_url}/")
