"""A live Kinga on a random port with its own SQLite file, and a headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser
from sqlalchemy.orm import sessionmaker

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.kvstore import SqlKeyValueStore
from registry.migrate import upgrade
from registry.settings import Settings
from tests.live import serving

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveApp:
    app: Flask
    url: str
    sessions: sessionmaker


@pytest.fixture()
def live(tmp_path: Path, settings: Settings) -> Iterator[LiveApp]:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        load_areas(session)
        session.commit()
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": replace(settings, database_url=url, redis_url=None),
            "KINGA_ENGINE": engine,
            "KINGA_KV": SqlKeyValueStore(sessions),
            "KINGA_KEYS_DIR": str(tmp_path / "keys"),
        }
    )
    with serving(app) as base_url:
        yield LiveApp(app, base_url, sessions)
    engine.dispose()


@contextmanager
def fresh_browser(shared: Browser, extra_args: list[str] | None = None) -> Iterator[Browser]:
    """A Chromium of its own (clean service workers, storage, camera flags), started by the
    Playwright of the suite's shared `browser` fixture: one Playwright loop per test session."""
    own = shared.browser_type.launch(
        executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS + (extra_args or [])
    )
    try:
        yield own
    finally:
        own.close()
