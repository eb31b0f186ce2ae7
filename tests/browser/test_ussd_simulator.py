"""The USSD phone simulator in real Chromium: dial, choose a language, register, see the SMS.

Saves the screenshots used by the docs (docs/screenshots/ussd-simulator-*.png).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.kvstore import SqlKeyValueStore
from registry.migrate import upgrade
from registry.settings import ROOT, Settings
from tests.live import serving

pytestmark = pytest.mark.browser
# What a caller types on the real registration form (as `tests.ussd.conftest.answer_for` would):
# head's names, sex, year, disability, ID, place (region, district, community), one more member
# (name, relation, year, sex), consent. Checked in every language by tests/ussd.
REGISTRATION = (
    "Amina",
    "Otieno",
    "1",
    "1980",
    "2",
    "2",
    "1",
    "1",
    "1",
    "1",
    "Amina",
    "1",
    "2012",
    "1",
    "1",
)
# docs/screenshots is refreshed with KINGA_SCREENSHOTS=1 (as in tests/browser); otherwise a
# test run leaves the working tree alone.
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("KINGA_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="kinga-ussd-screens-"))
)


@pytest.fixture()
def live_url(tmp_path: Path, settings: Settings) -> Iterator[str]:
    from webapp import create_app

    engine = make_engine(f"sqlite:///{tmp_path / 'sim.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        session.commit()
    kv = SqlKeyValueStore(lambda: Session(engine, expire_on_commit=False))
    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": replace(settings, database_url=str(engine.url), redis_url=None),
            "KINGA_ENGINE": engine,
            "KINGA_KV": kv,
        }
    )
    with serving(app) as base_url:
        yield base_url
    engine.dispose()


def _press(page, text: str) -> None:  # type: ignore[no-untyped-def]
    for key in text:
        page.click(f'#sim-keypad button[data-key="{key}"]')


def _until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Polls from Python: the page's CSP rightly forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _answer(page, text: str) -> None:  # type: ignore[no-untyped-def]
    before = page.inner_text("#sim-screen")
    if text.isdigit():
        _press(page, text)
    else:
        page.fill("#sim-input", text)
    page.click("#sim-call")
    _until(lambda: page.inner_text("#sim-screen") != before)


@pytest.mark.parametrize("language,key", [("en", "1"), ("ar", "5")])
def test_register_on_the_simulated_phone(browser, live_url: str, language: str, key: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    try:
        page = context.new_page()
        page.goto(live_url + "/simulator")
        page.click("#sim-call")
        _until(lambda: "1 English" in page.inner_text("#sim-screen"))
        _answer(page, key)
        screen = page.inner_text("#sim-screen")
        assert screen.count("\n") >= 5  # the main menu, five options
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".handset").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"ussd-simulator-{language}.png"))
        for value in ("1", *REGISTRATION, "1"):
            _answer(page, value)
        assert page.locator("#sim-input").is_disabled()  # END: the session is over
        _until(lambda: page.locator("#sim-sms li:not(.muted)").count() > 0)
        sms = page.inner_text("#sim-sms")
        number = [w for w in page.inner_text("#sim-screen").split() if w.strip(".").isdigit()]
        assert number and number[0].strip(".") in sms
        page.locator(".inbox").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"ussd-simulator-{language}-receipt.png"), full_page=True)
    finally:
        context.close()
    for path in SHOTS.glob(f"ussd-simulator-{language}*.png"):
        assert path.stat().st_size < 300_000
