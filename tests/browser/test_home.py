import os
from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_login_home_and_logout_in_a_real_browser(live_server: str, desk_page) -> None:  # type: ignore[no-untyped-def]
    page = desk_page
    login(page, live_server, "demo-field-1")
    assert page.locator("h1").inner_text() == "Welcome, Faith Fieldworker"
    assert "Pwani Region" in page.content()
    households = page.locator(".stat strong").first.inner_text()
    assert int(households.replace(",", "")) > 0
    if os.environ.get("KINGA_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "home.png"))
    page.click(".logout button")
    page.wait_for_url(f"{live_server}/login")
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")


def test_arabic_is_right_to_left_and_switches_without_javascript(
    live_server: str, phone_page
) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto(f"{live_server}/login")
    page.click("button[lang=ar]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "تسجيل الدخول"
    box = page.locator("h1").bounding_box()
    assert box is not None and box["x"] + box["width"] > 300, "heading is not right-aligned"
    if os.environ.get("KINGA_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / "login-ar.png"))


def test_wrong_password_message_in_the_browser(live_server: str, phone_page) -> None:  # type: ignore[no-untyped-def]
    page = phone_page
    page.goto(f"{live_server}/login")
    page.click("button[lang=sw]")
    page.fill("#username", "demo-field-1")
    page.fill("#password", "wrong password")
    page.click("button.primary")
    assert "Jina la mtumiaji au nenosiri si sahihi." in page.locator(".flash").inner_text()
