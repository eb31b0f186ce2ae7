"""The field forms in real headless Chromium: register, offline queue, Arabic, accessibility."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from registry.households.models import Household, Person
from tests.browser.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.browser
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}  # lets the test evaluate its own checks


def phone_context(browser, **extra):  # type: ignore[no-untyped-def]
    """A 360x640 touch phone; generous timeouts, as the test machines are shared and slow."""
    context = browser.new_context(**PHONE, **extra)
    context.set_default_timeout(90_000)
    return context


def count_named(live, given_name: str) -> int:  # type: ignore[no-untyped-def]
    with live.session() as session:
        return session.scalar(
            select(func.count(func.distinct(Person.household_id))).where(
                Person.given_name == given_name
            )
        )


def serious_violations(page) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["nodes"][0]["target"])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fill_registration(page, live, head: str, shots: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Walks the six screens the way a worker taps them."""
    page.fill("#f-head_given_name", head)
    page.fill("#f-head_family_name", "Mwangi")
    page.check("input[name=head_sex][value=F]")
    page.fill("#f-head_birth_year", "1979")
    page.check("input[name=head_disability][value=no]")
    if shots:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / "field-register-head.png"))
    page.click("section.current button[value=next]")
    phone_question = page.locator("[data-when='head_has_phone=yes']")
    assert not phone_question.is_visible()  # skip logic, live: asked only after "yes"
    page.check("input[name=head_has_phone][value=yes]")
    assert phone_question.is_visible()
    page.fill("#f-head_phone", "0733123456")
    page.check("input[name=head_has_id][value=no]")
    page.click("section.current button[value=next]")
    page.select_option("#f-area", live.community_code)
    page.click("section.current button[value=next]")
    page.fill("#f-other_members", "1")
    page.click("section.current button[value=next]")
    page.fill("#f-members-0-given_name", "Imani")
    page.check("input[name='members.0.sex'][value=F]")
    page.fill("#f-members-0-birth_year", "2015")
    page.check("input[name='members.0.relation'][value=child]")
    page.check("input[name='members.0.disability'][value=no]")
    if shots:
        page.screenshot(path=str(SCREENSHOTS / "field-register-members.png"))
    page.click("section.current button[value=next]")
    page.check("input[name=consent][value=yes]")
    page.check("input[name=consent_method][value=spoken]")


def test_register_a_household_end_to_end(browser, live) -> None:  # type: ignore[no-untyped-def]
    context = phone_context(browser)
    page = context.new_page()
    login(page, live)
    page.goto(f"{live.url}/field/register")
    assert page.locator("section.screen.current").count() == 1
    fill_registration(page, live, "Wanjiku", shots=True)
    page.click("section.current button[value=summary]")
    page.wait_for_load_state()
    errors = page.eval_on_selector_all(".err", "els => els.map(e => e.id)")
    assert errors == [], errors
    page.wait_for_selector("section.sum")
    assert "Imani" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "field-register-summary.png"), full_page=True)
    assert serious_violations(page) == []
    page.click("button[value=save]")
    page.wait_for_selector(".big")
    number = page.inner_text(".big").replace(" ", "")
    page.screenshot(path=str(SCREENSHOTS / "field-register-saved.png"))
    with live.session() as session:
        household = session.scalar(select(Household).where(Household.number == number))
        assert household is not None and household.status == "active"
        assert [m.given_name for m in household.members] == ["Wanjiku", "Imani"]
    context.close()


def test_offline_submission_twice_makes_one_household(browser, live) -> None:  # type: ignore[no-untyped-def]
    context = phone_context(browser)
    page = context.new_page()
    login(page, live)
    page.goto(f"{live.url}/field/register")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null || true")
    context.set_offline(True)
    # the form opens with no signal: the service worker kept it
    page.goto(f"{live.url}/field/register")
    fill_registration(page, live, "Zawadi")
    page.click("section.current button[value=summary]")
    summary = page.locator("#offline-summary")
    summary.wait_for()
    assert "Zawadi" in summary.inner_text() and "Imani" in summary.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "field-offline-summary.png"))
    page.evaluate(
        "const b = document.querySelector('#offline-summary button');"
        "document.querySelector('form.wiz').requestSubmit(b);"
        "document.querySelector('form.wiz').requestSubmit(b);"  # a double tap
    )
    page.wait_for_function("document.getElementById('queue').textContent.includes('1 waiting')")
    page.screenshot(path=str(SCREENSHOTS / "field-offline-queued.png"))
    assert count_named(live, "Zawadi") == 0
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("document.getElementById('queue').textContent.includes('Sent')")
    assert count_named(live, "Zawadi") == 1
    # the reply was lost and the phone sends the same submission again: still one household
    resent = page.evaluate(
        """async () => {
          const body = new URLSearchParams(new FormData(document.querySelector('form.wiz')));
          const token = await (await fetch('/field/csrf')).json();
          body.set('csrf_token', token.csrf_token);
          body.set('go', 'save'); body.set('offline', '1');
          const r = await fetch('/field/register', {method: 'POST', body,
            headers: {Accept: 'application/json'}});
          return r.json();
        }"""
    )
    assert resent["status"] == "saved" and resent["created"] is False
    assert count_named(live, "Zawadi") == 1
    context.close()


def test_arabic_renders_right_to_left(browser, live) -> None:  # type: ignore[no-untyped-def]
    context = phone_context(browser, locale="ar")
    page = context.new_page()
    login(page, live, "walker-ar")
    page.goto(f"{live.url}/field/register")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    direction = page.eval_on_selector("section.current h2", "e => getComputedStyle(e).direction")
    assert direction == "rtl"
    assert "رب الأسرة" in page.inner_text("section.current")
    page.screenshot(path=str(SCREENSHOTS / "field-register-ar.png"))
    assert serious_violations(page) == []
    context.close()


def test_no_serious_accessibility_violations(browser, live) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = phone_context(browser)
    page = context.new_page()
    login(page, live)
    with live.session() as session:
        number = session.scalar(select(Household.number).limit(1))
    paths = ["/field/", "/field/register"]
    if number:
        paths += [
            f"/field/households/{number}",
            f"/field/households/{number}/edit",
            f"/field/households/{number}/consent",
            f"/field/households/{number}/saved",
        ]
    problems = {}
    for path in paths:
        page.goto(f"{live.url}{path}")
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            problems[path] = [(v["id"], v["nodes"][0]["target"]) for v in bad]
    assert problems == {}
    context.close()


def test_two_workers_editing_offline_the_second_sees_both_versions(browser, live) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_household

    with live.session() as session:
        from registry.areas.models import Area

        area = session.scalar(select(Area).where(Area.code == live.community_code))
        household = make_household(session, area, members=1, head_name="Halima", family_name="Said")
        number = household.number
        session.commit()
    workers = []
    for username in ("walker", "walker-2"):
        context = phone_context(browser)
        page = context.new_page()
        login(page, live, username)
        page.goto(f"{live.url}/field/households/{number}/edit")
        workers.append((context, page))
    for (context, page), name in zip(workers, ("Halimah", "Alima"), strict=True):
        context.set_offline(True)
        page.fill("#f-head_given_name", name)
        page.evaluate("document.querySelector('form.wiz').requestSubmit()")
        page.wait_for_function("document.getElementById('queue').textContent.includes('1 waiting')")
    # the first worker finds a signal first; the second one a little later
    (first_context, first), (second_context, second) = workers
    first_context.set_offline(False)
    first.evaluate("window.dispatchEvent(new Event('online'))")
    first.wait_for_function("document.getElementById('queue').textContent.includes('Sent')")
    second_context.set_offline(False)
    second.evaluate("window.dispatchEvent(new Event('online'))")
    second.wait_for_selector("#queue button.problem")
    with live.session() as session:
        saved = session.scalar(select(Household).where(Household.number == number))
        assert saved.head.given_name == "Halimah"  # the second save did not overwrite it
    second.click("#queue button.problem")
    second.wait_for_selector("table.cmp")
    assert "Changed since you opened it" in second.content()
    rows = second.inner_text("table.cmp")
    assert "Alima" in rows and "Halimah" in rows
    second.screenshot(path=str(SCREENSHOTS / "field-edit-conflict.png"), full_page=True)
    assert serious_violations(second) == []
    for context, _page in workers:
        context.close()
