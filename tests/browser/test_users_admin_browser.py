"""The administrator's users desk in Chromium: create an officer (one-time password), the
officer's forced password change, disabling with the officer's live session ending at once,
and a password reset that forces a new change at the next login."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.browser

NEW_PASSWORD = "officer's own secret 1"
NEWER_PASSWORD = "officer's newer secret 2"


def _one_time(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#one-time-password code").inner_text().strip()


def _log_in_and_choose(page, base: str, one_time: str, new: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", "browser-officer")
    page.fill("#password", one_time)
    page.click("button.primary")
    page.wait_for_url(f"{base}/password")
    assert "Choose a new password" in page.content()
    page.goto(f"{base}/inbox/")  # nothing else opens before the change
    page.wait_for_url(f"{base}/password")
    page.fill("#current_password", one_time)
    page.fill("#new_password", new)
    page.fill("#confirm_password", new)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_admin_creates_disables_and_resets_a_user(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    admin_context = browser.new_context(viewport={"width": 1100, "height": 900})
    officer_context = browser.new_context(viewport={"width": 360, "height": 640})
    admin, officer = admin_context.new_page(), officer_context.new_page()
    for page in (admin, officer):
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and "Failed to load resource" not in m.text
                else None
            ),
        )
    try:
        login(admin, live_server, "demo-admin")
        admin.goto(f"{live_server}/admin/users")
        admin.fill("#username", "browser-officer")
        admin.fill("#full_name", "Browser Officer")
        admin.check("input[name=roles][value=grievance_officer]")
        first_region = admin.locator("#areas option").nth(1)
        admin.select_option("#areas", first_region.get_attribute("value"))
        admin.screenshot(path=str(SCREENSHOTS / "admin-users.png"))
        admin.click("form[action$='/admin/users'] button.primary")
        one_time = _one_time(admin)
        assert len(one_time) == 12

        _log_in_and_choose(officer, live_server, one_time, NEW_PASSWORD)
        officer.goto(f"{live_server}/inbox/")
        assert officer.url == f"{live_server}/inbox/"

        admin.goto(f"{live_server}/admin/users")
        admin.click("text=browser-officer")
        admin.click("button[value=disable]")
        assert "its sessions have ended" in admin.content()
        officer.goto(f"{live_server}/inbox/")  # the live session ended at once
        officer.wait_for_url(f"{live_server}/login")

        admin.click("button[value=enable]")
        admin.click("form[action$='/password'] button")
        reset = _one_time(admin)
        assert reset != one_time
        _log_in_and_choose(officer, live_server, reset, NEWER_PASSWORD)
    finally:
        admin_context.close()
        officer_context.close()
    assert not errors, errors
