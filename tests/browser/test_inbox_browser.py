"""In real Chromium: an officer answers a grievance that came in by SMS; the reply is queued."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas, load_households, load_users
from registry.grievances.demo import load_demo
from registry.grievances.models import Grievance
from registry.grievances.service import GrievanceData, lodge_grievance
from registry.migrate import upgrade
from registry.origin import Channel, Origin
from registry.outbox.models import OutboxMessage
from registry.scope import Scope
from registry.settings import Settings
from tests.factories import PASSWORD
from tests.live import serving

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture()
def live(tmp_path: Path, settings: Settings) -> Iterator[tuple[str, str, str]]:
    """A demo registry in a file database served on a random port; yields (url, db url, number)."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    upgrade(engine)
    origin = Origin.cli("tests")
    with Session(engine) as session:
        load_areas(session)
        load_users(session, origin, PASSWORD)
        session.commit()
    load_households(engine, 150, seed=7)
    with Session(engine) as session:
        load_demo(session, random.Random(7), origin)
        grievance = lodge_grievance(
            session,
            GrievanceData(
                category_code="payment_missing",
                text="Sijapokea malipo ya Oktoba. Wakala alisema jina langu halipo.",
                area_code="KG-PW-01-02",
                complainant_phone="+254711222333",
                person_id=None,
                anonymous=False,
                consent_to_contact=True,
                language="sw",
                channel="sms",
            ),
            origin=Origin(channel=Channel.SMS, language="sw", phone="+254711222333"),
            scope=Scope.unrestricted(),
        )
        number = grievance.number
        session.commit()
    from webapp import create_app

    app = create_app({"KINGA_SETTINGS": replace(settings, database_url=url, redis_url=None)})
    with serving(app) as base_url:
        yield base_url, url, number
    engine.dispose()


def _assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (v["id"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_officer_answers_an_sms_grievance(live: tuple[str, str, str]) -> None:
    from playwright.sync_api import sync_playwright

    base, url, number = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on(
                "console",
                lambda m: (
                    errors.append(m.text)
                    if m.type == "error" and "Failed to load resource" not in m.text
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: (
                    errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico")
                    else None
                ),
            )
            page.goto(f"{base}/login")
            page.fill("#username", "demo-officer-1")
            page.fill("#password", PASSWORD)
            page.click("button.primary")
            page.goto(f"{base}/inbox/")
            assert page.locator(f'a[href="/inbox/{number}"]').count() == 1
            _assert_accessible(page)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "inbox.png"))
            page.goto(f"{base}/inbox/stats")
            _assert_accessible(page)
            page.screenshot(path=str(SCREENSHOTS / "inbox-figures.png"))
            page.goto(f"{base}/inbox/")
            page.click(f'a[href="/inbox/{number}"]')
            _assert_accessible(page)
            page.fill("#reply-text", "Tumeangalia: malipo yako yatatumwa Ijumaa.")
            page.click("form[action$='/reply'] button[type=submit]")
            page.wait_for_selector(".flash.success")
            timeline = page.locator(".timeline").inner_text()
            assert "Tumeangalia: malipo yako yatatumwa Ijumaa." in timeline
            assert "waiting to be sent" in timeline
            assert errors == []  # nothing broke the CSP or the page

            page.click("button[name=lang][value=ar]")
            page.wait_for_selector("html[dir=rtl]")
            assert "الشكوى" in page.locator("h1").inner_text()
            page.screenshot(path=str(SCREENSHOTS / "inbox-grievance-ar.png"))

            phone = browser.new_page(viewport={"width": 360, "height": 640})
            phone.context.add_cookies(page.context.cookies())
            phone.goto(f"{base}/inbox/{number}")
            phone.screenshot(path=str(SCREENSHOTS / "inbox-grievance-phone.png"))
        finally:
            browser.close()

    engine = make_engine(url)
    with Session(engine) as session:
        grievance = session.scalar(select(Grievance).where(Grievance.number == number))
        assert grievance is not None and grievance.status == "in_progress"
        message = session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.related_id == number, OutboxMessage.template == "grievance.reply"
            )
        )
        assert message is not None
        assert message.to_phone == "+254711222333" and message.language == "sw"
        assert "Tumeangalia: malipo yako yatatumwa Ijumaa." in message.body
    engine.dispose()
