"""The phone simulator texting Kinga by SMS: replies show in its inbox (real Chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.kvstore import make_store
from registry.migrate import upgrade
from registry.settings import Settings
from tests.browser.conftest import SCREENSHOTS
from tests.live import serving

PHONE = "+254712300400"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    from webapp import create_app

    folder = tmp_path_factory.mktemp("sms-live")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        session.commit()
    settings = replace(
        Settings.from_env(),
        database_url=str(engine.url),
        redis_url=None,
        secret_key="browser-sms-secret",
        public_url="http://127.0.0.1",
        languages=("en", "fr", "sw", "pt", "ar"),
        sms_provider="memory",
        demo=True,
    )
    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": settings,
            "KINGA_ENGINE": engine,
            "KINGA_KV": make_store(engine, None),
        }
    )
    with serving(app) as base_url:
        yield base_url
    engine.dispose()


SEND = """async ([phone, text]) => {
  const token = document.querySelector('input[name=csrf_token]').value;
  const r = await fetch('/simulator/sms/send', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
    body: JSON.stringify({phone, text})});
  return r.status;
}"""


@pytest.mark.browser
def test_sms_replies_show_in_the_simulator_inbox(browser, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.goto(f"{demo_url}/simulator")
    page.fill("#sim-phone", PHONE)
    for text in ("HELP", "hali", "statut", "حالة"):
        assert page.evaluate(SEND, [PHONE, text]) == 200
    page.reload()
    page.fill("#sim-phone", PHONE)
    page.locator("#sim-sms li:not(.muted)").nth(3).wait_for(timeout=15000)  # polled every 5 s
    items = page.locator("#sim-sms li").all_inner_texts()
    assert any("Kinga: send STATUS" in item for item in items)
    assert any("Kaya haikupatikana" in item for item in items)
    assert any("لم يتم العثور على أسرة" in item for item in items)
    page.locator("#sim-sms").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sms-simulator-inbox.png"))
    page.close()
