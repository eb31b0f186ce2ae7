"""The dashboard in a real Chromium, on a laptop and on a phone: charts, tables, drill-down, CSP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from registry.db import make_engine, utcnow
from registry.demo.loader import load_areas, load_households, load_users, run_extra_steps
from registry.indicators.periods import Period
from registry.indicators.refresh import refresh_period
from registry.migrate import upgrade
from registry.origin import Origin
from tests.browser.conftest import SCREENSHOTS, login
from tests.factories import PASSWORD
from tests.live import app_on, serving

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def dash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    folder = tmp_path_factory.mktemp("live-dash")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        load_users(session, Origin.system("tests"), PASSWORD)
        session.commit()
    load_households(engine, 900, seed=17)
    with Session(engine) as session:
        run_extra_steps(session, 17, Origin.system("tests"))
        refresh_period(session, Period.of(utcnow()), origin=Origin.system("tests"))
        session.commit()
    app = app_on(engine, testing=False)
    with serving(app) as base_url:
        yield base_url
    engine.dispose()


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = DOCS if os.environ.get("KINGA_SCREENSHOTS") == "1" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path))
    assert path.stat().st_size < 300_000, f"{name} is over 300 KB"


def test_dashboard_on_a_laptop(dash_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "Content Security" in m.text else None)
    login(page, dash_server, "demo-manager")
    page.goto(f"{dash_server}/dashboards/")
    assert page.locator("h1").inner_text().startswith("Dashboards")
    chart = page.locator("svg.chart").first
    assert chart.is_visible() and chart.bounding_box()["width"] > 250  # type: ignore[index]
    assert page.locator("section.panel table").count() == page.locator("svg.chart").count() >= 5
    _shoot(page, "dashboards-laptop.png")
    page.click("section.panel table tbody tr:nth-child(2) th a")  # drill into the first region
    assert "area=" in page.url
    assert page.locator(".trail a").count() == 1
    page.click("nav.sections a:has-text('Grievances')")
    assert page.locator("#grievances_channel svg.chart").is_visible()
    assert not refusals, refusals
    context.close()


def test_dashboard_on_a_phone(dash_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    login(page, dash_server, "demo-manager")
    page.goto(f"{dash_server}/dashboards/?section=targeting")
    page.select_option("#program", index=1)
    page.click(".filters button")
    assert "program=" in page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    chart = page.locator("svg.chart").first
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 280
    chart.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -120)")
    _shoot(page, "dashboards-phone.png")
    context.close()
