"""In Chromium: the auditor desk verifies the log, the public statistics and export pages work
on a phone, and no page trips the Content-Security-Policy (no inline code anywhere).

`KINGA_SCREENSHOTS=1` also writes the screenshots under docs/screenshots/.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from registry.origin import Channel
from tests.factories import PASSWORD, community, make_household
from tests.live import serving, working
from tests.security.world import World, build_world

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture()
def live(app: Flask, db_session: Session) -> Iterator[tuple[str, World]]:
    world = build_world(db_session)
    for i in range(14):
        make_household(db_session, community(db_session, 0, i % 3), family_name=f"Demo{i}")
    for i in range(6):
        make_household(db_session, community(db_session, 1, i % 3), family_name=f"Far{i}")
    for i in range(2):  # too few to publish: the statistics must hide them
        make_household(db_session, community(db_session, 2, i), channel=Channel.USSD)
    db_session.commit()
    # The log's verification is a job: a worker beside the server runs it, between requests
    # (both use the test's one database connection).
    lock = threading.Lock()
    with serving(app, threaded=False, lock=lock) as base_url, working(app, lock=lock):
        yield base_url, world


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("KINGA_SCREENSHOTS") == "1":
        path = SHOTS / name
        page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size < 300_000


def test_auditor_desk_and_public_pages_in_chromium(live: tuple[str, World]) -> None:
    from playwright.sync_api import sync_playwright

    base, world = live
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            desk = browser.new_page(viewport={"width": 1100, "height": 760})
            desk.on(
                "console",
                lambda m: violations.append(m.text) if "Content Security" in m.text else None,
            )
            desk.goto(f"{base}/login")
            desk.fill("#username", world.users["auditor"])
            desk.fill("#password", PASSWORD)
            desk.click("button.primary")
            desk.goto(f"{base}/audit/")
            desk.select_option("#action", "household.register")
            desk.click("form.filters button")
            assert desk.locator("table.audit tbody tr").count() >= 20
            desk.click("text=Verify the whole log now")
            # Verification is a job: its page refreshes itself until the worker is done, then
            # leads back to the desk with the verdict.
            desk.wait_for_selector("section.job-done a.button", timeout=30_000)
            desk.click("section.job-done a.button")
            result = desk.locator("#verify-result")
            assert "The log is intact" in result.inner_text()
            assert "verification=" in desk.url
            _shot(desk, "audit-log.png")

            phone = browser.new_page(viewport={"width": 360, "height": 640})
            phone.on(
                "console",
                lambda m: violations.append(m.text) if "Content Security" in m.text else None,
            )
            phone.goto(f"{base}/statistics")
            assert phone.locator("table.stats tbody tr").count() == 3
            assert phone.locator(".suppressed").count() >= 1
            _shot(phone, "public-statistics-phone.png")
            phone.goto(f"{base}/login")
            phone.fill("#username", world.users["program_manager"])
            phone.fill("#password", PASSWORD)
            phone.click("button.primary")
            phone.goto(f"{base}/exports/")
            phone.click("button.primary")  # no reason given
            assert "State why you need this export" in phone.content()
            phone.evaluate("window.scrollTo(0, document.getElementById('reason').offsetTop - 90)")
            phone.wait_for_timeout(300)
            _shot(phone, "export-reason-phone.png")
        finally:
            browser.close()
    assert violations == []
