"""The programs desk in a real Chromium: a manager reads versions, meets a rule error with its
place, simulates on a phone-sized screen in Arabic; axe finds no serious accessibility issue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TEST_DATABASE_URL
from tests.live import serving, working
from webapp.cli import main

pytestmark = pytest.mark.browser
PASSWORD = "browser demo password"


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if TEST_DATABASE_URL:
        pytest.skip("the browser run uses its own SQLite demo registry")

    from registry.settings import Settings
    from webapp import create_app

    folder: Path = tmp_path_factory.mktemp("browser")
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{folder}/kinga.db",
        "KINGA_INSTANCE_DIR": str(folder / "instance"),
        "KINGA_DEMO_PASSWORD": PASSWORD,
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo", "--households", "300", "--quiet"], env=env).exit_code == 0
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        app = create_app({"KINGA_SETTINGS": Settings.from_env()})
    with serving(app) as base_url, working(app):
        yield base_url


def _login(page, base: str, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "demo-manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click(f"form.langs button[value={language}]")


def test_manager_desk_in_chromium(live_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    small = browser.new_context(viewport={"width": 360, "height": 640})
    try:
        page = desk.new_page()
        _login(page, live_url)
        page.click("a.tile[href='/programs/']")
        page.click("text=Child Grant")
        assert page.locator("table.versions td.changed").count() >= 1
        serious = [
            v
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], [v["id"] for v in serious]
        page.click("table.versions a:has-text('Edit')")
        page.fill("#source", "conditions:\n  - size > 1 and childs > 2\nbenefit: {type: service}")
        page.click("button.primary")
        alert = page.locator("#rule-error")
        assert "conditions[1], line 1, column 14: unknown field “childs”" in alert.inner_text()
        assert page.locator("#source").get_attribute("aria-describedby") == "rule-error"

        phone = small.new_page()
        _login(phone, live_url, "ar")
        phone.goto(f"{live_url}/programs/CG/versions/2/simulation")
        phone.click("form.inline button[type=submit]")  # starts a job; its page refreshes itself
        phone.wait_for_selector("progress, p.state", timeout=10_000)
        report = phone.locator("a.button[href*='/simulation']")
        report.wait_for(timeout=60_000)  # the page refreshed (no JavaScript) until the job ended
        report.click()
        assert phone.locator("html").get_attribute("dir") == "rtl"
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width  # nothing wider than the phone
        assert phone.locator(".stat strong").first.inner_text().replace(",", "").isdigit()
    finally:
        desk.close()
        small.close()
