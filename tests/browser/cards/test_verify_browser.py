"""The browser verifier in real Chromium: conformance vectors, offline checks, camera scan."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from registry.cards.qr import qr_image
from registry.cards.service import issue_card, revoke_card
from registry.origin import Origin
from tests.browser.cards.conftest import LiveApp, fresh_browser
from tests.cards.conftest import load_context, load_vectors
from tests.factories import PASSWORD, community, make_household, make_user, region

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
ORIGIN = Origin.system("tests")

RUN_VECTORS = """
async ({vectors, context, forceJs}) => {
  const m = await import('/static/js/cards/verifier.js');
  if (forceJs) m.forceJsEd25519();
  const keys = m.keysFromJwks(context.jwks);
  const out = {};
  for (const v of vectors) {
    const r = await m.verifyQr(v.qr, keys, new Set(context.revoked), context.now);
    out[v.name] = [r.valid, r.reason];
  }
  return {verdicts: out, engine: m.verifierEngine()};
}
"""


def _data(live: LiveApp) -> dict[str, str]:
    with live.sessions() as session:
        make_user(session, {"field_worker"}, [region(session, 0).code], username="fieldy")
        households = [
            make_household(session, community(session, 0, i), head_name=name)
            for i, name in enumerate(("Neema", "Baraka"))
        ]
        ring = live.app.extensions["kinga_keyring"]
        good, bad = (issue_card(session, h, origin=ORIGIN, keyring=ring) for h in households)
        revoke_card(session, bad, reason="stolen", origin=ORIGIN)
        session.commit()
        return {"good": good.payload, "good_number": good.number, "revoked": bad.payload}


def _login(page: Page, live: LiveApp) -> None:
    page.goto(f"{live.url}/login")
    page.fill("#username", "fieldy")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize("force_js", [False, True], ids=["webcrypto", "vendored-js"])
def test_vectors_in_chromium(browser: Browser, live: LiveApp, force_js: bool) -> None:
    vectors = load_vectors()
    with fresh_browser(browser) as chromium:
        page = chromium.new_page()
        page.goto(f"{live.url}/verify")
        result = page.evaluate(
            RUN_VECTORS,
            {"vectors": vectors, "context": load_context(), "forceJs": force_js},
        )
    assert result["engine"] == ("js" if force_js else "webcrypto")
    expected = {v["name"]: [v["valid"], v["reason"]] for v in vectors}
    assert result["verdicts"] == expected


def test_verify_page_online_then_offline(browser: Browser, live: LiveApp) -> None:
    cards = _data(live)
    with fresh_browser(browser) as chromium:
        context = chromium.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        _login(page, live)
        page.goto(f"{live.url}/verify")
        expect(page.locator("#sync-status")).to_contain_text("synced at")
        page.fill("#code", cards["good"])
        page.click("#typed button")
        expect(page.locator("#verdict-title")).to_have_text("VALID")
        expect(page.locator("#verdict-asof")).to_contain_text("Valid as of")
        expect(page.locator("#h-name")).to_have_text("Neema Otieno")
        page.screenshot(path=str(SCREENSHOTS / "verify-online.png"))
        context.set_offline(True)
        page.fill("#code", cards["revoked"])
        page.click("#typed button")
        expect(page.locator("#verdict-title")).to_have_text("NOT VALID")
        expect(page.locator("#verdict-message")).to_contain_text("revoked")
        page.fill("#code", cards["good"])
        page.click("#typed button")
        expect(page.locator("#verdict-title")).to_have_text("VALID")
        page.screenshot(path=str(SCREENSHOTS / "verify-offline.png"))


def _y4m(path: Path, image: np.ndarray, frames: int = 30) -> None:
    """A still video for Chromium's fake camera: grey image, neutral chroma (4:2:0)."""
    height, width = image.shape
    chroma = np.full((height // 2, width // 2), 128, dtype=np.uint8).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + image.tobytes() + chroma + chroma)


def test_camera_scan_reads_the_card(browser: Browser, live: LiveApp, tmp_path: Path) -> None:
    cards = _data(live)
    qr = np.array(qr_image(cards["good"], module_pixels=6))
    canvas = np.full((480, 640), 255, dtype=np.uint8)
    top, left = (480 - qr.shape[0]) // 2, (640 - qr.shape[1]) // 2
    canvas[top : top + qr.shape[0], left : left + qr.shape[1]] = qr
    video = tmp_path / "card.y4m"
    _y4m(video, canvas)
    with fresh_browser(
        browser,
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    ) as chromium:
        context = chromium.new_context(viewport={"width": 360, "height": 640})
        context.grant_permissions(["camera"], origin=live.url)
        page = context.new_page()
        page.goto(f"{live.url}/verify")
        expect(page.locator("#sync-status")).to_contain_text("synced at")
        page.click("#scan")
        expect(page.locator("#verdict-title")).to_have_text("VALID", timeout=15000)
        number = cards["good_number"]
        expect(page.locator("#c-number")).to_have_text(f"{number[:4]} {number[4:8]} {number[8:]}")


def test_verify_page_reopens_offline(browser: Browser, live: LiveApp) -> None:
    cards = _data(live)
    with fresh_browser(browser) as chromium:
        context = chromium.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        page.goto(f"{live.url}/verify")
        expect(page.locator("#sync-status")).to_contain_text("synced at")
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function(
            "() => navigator.serviceWorker.controller !== null || location.reload()"
        )
        expect(page.locator("#sync-status")).to_contain_text("synced at")
        context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_have_text("Check a card")
        page.fill("#code", cards["good"])
        page.click("#typed button")
        expect(page.locator("#verdict-title")).to_have_text("VALID")


def test_desk_and_card_screenshots(browser: Browser, live: LiveApp) -> None:
    with live.sessions() as session:
        make_user(session, {"program_manager"}, [region(session, 0).code], username="printer")
        household = make_household(
            session, community(session, 0, 3), head_name="Zawadi", family_name="Mwakilema"
        )
        session.commit()
        number = household.number
    with fresh_browser(browser) as chromium:
        page = chromium.new_page(viewport={"width": 1024, "height": 900})
        page.goto(f"{live.url}/login")
        page.fill("#username", "printer")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live.url}/cards/household/{number}")
        page.click("text=Issue card")
        expect(page.locator(".card-row img")).to_be_visible()
        page.wait_for_function("() => document.querySelector('.card-row img').naturalWidth > 0")
        page.screenshot(path=str(SCREENSHOTS / "cards-desk.png"))
        page.set_viewport_size({"width": 1100, "height": 900})
        page.goto(live.url + (page.locator(".card-row img").get_attribute("src") or ""))
        page.locator("img").screenshot(path=str(SCREENSHOTS / "card.png"))
        phone = chromium.new_page(viewport={"width": 360, "height": 640})
        phone.goto(f"{live.url}/verify")
        phone.click("button[lang=ar]")
        expect(phone.locator("html")).to_have_attribute("dir", "rtl")
        phone.screenshot(path=str(SCREENSHOTS / "verify-ar.png"))
    for name in ("cards-desk.png", "card.png", "verify-ar.png"):
        assert (SCREENSHOTS / name).stat().st_size < 300_000
