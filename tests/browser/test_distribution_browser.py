"""Distribution day in Chromium with the network cut: two phones take the roster offline, one
refuses a second hand-over it knows of, both hand out the same goods, both sync, and the
double collection report shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.distribution.models import HandOver
from registry.distribution.service import create_point, double_collections, stock_report
from registry.origin import Origin
from registry.payments.approval import approve_cycle
from registry.payments.cycles import generate_entitlements, open_cycle
from registry.payments.models import Entitlement, EntitlementStatus
from registry.scope import Scope
from registry.users.roles import Role
from tests.browser.conftest import SCREENSHOTS, login
from tests.browser.test_field_forms import phone_context
from tests.factories import make_user, region
from tests.payments.world import cash_world

pytestmark = pytest.mark.browser


def _food_cycle(live):  # type: ignore[no-untyped-def]
    with live.session() as session:
        world = cash_world(session, per_region=2, code="FOODX", kind="in_kind")
        origin = Origin.system("tests")
        cycle = open_cycle(
            session, world.program, "2026-05", area=None, funding_source=None, origin=origin
        )
        generate_entitlements(session, cycle, origin=origin)
        finance = make_user(session, {Role.FINANCE_OFFICER}, ["KG"], username="fin-dist")
        approve_cycle(
            session,
            cycle,
            approver_id=finance.id,
            roles=finance.roles,
            scope=Scope.unrestricted(),
            origin=origin,
        )
        point = create_point(
            session,
            "PT-1",
            "Mji Mpya school",
            region(session, 0),
            scope=Scope.unrestricted(),
            origin=origin,
        )
        number = world.households[0].number
        ids = (cycle.id, point.id)
        session.commit()
    return ids, number


def _record(page, number: str, proxy: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.fill("#code", number)
    page.click("#find button")
    page.wait_for_selector("#due:not([hidden])")
    if proxy:
        page.check("input[value=proxy]")
        page.fill("#proxy", proxy)
    page.click("#record")


def test_two_offline_phones_and_a_double_collection(browser, live) -> None:  # type: ignore[no-untyped-def]
    (cycle_id, point_id), number = _food_cycle(live)
    url = f"{live.url}/distribution/cycles/{cycle_id}/points/{point_id}/roster"
    phones = []
    for username in ("walker", "walker-2"):
        context = phone_context(browser)
        page = context.new_page()
        login(page, live, username)
        page.goto(url)
        page.wait_for_selector("#roster[data-offline='1']", state="attached")
        phones.append((context, page))
    for context, _page in phones:
        context.set_offline(True)
    first, second = phones[0][1], phones[1][1]
    # The roster opens again with no signal (the service worker kept it).
    first.reload()
    first.wait_for_selector("#roster[data-ready='1']")
    _record(first, number)
    first.wait_for_function("document.getElementById('status').textContent.includes('1 hand-over')")
    # The same phone refuses a second hand-over of what it handed out.
    first.fill("#code", number)
    first.click("#find button")
    first.wait_for_selector("#due-warning:not([hidden])")
    assert "Already collected" in first.inner_text("#due-warning")
    assert first.is_hidden("#hand")
    first.screenshot(path=str(SCREENSHOTS / "distribution-already-collected.png"))
    # The other phone does not know: it hands the goods out too, to a named proxy.
    _record(second, number, proxy="Baraka Juma")
    second.wait_for_function(
        "document.getElementById('status').textContent.includes('1 hand-over')"
    )
    with live.session() as session:
        assert session.scalar(select(func.count(HandOver.id))) == 0  # nothing left the phones
    for context, page in phones:
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
    first.wait_for_function("document.getElementById('status').textContent.includes('synced')")
    second.wait_for_function("document.getElementById('status').textContent.includes('double')")
    second.screenshot(path=str(SCREENSHOTS / "distribution-double-synced.png"))
    # Syncing again changes nothing.
    first.reload()
    first.wait_for_selector("#roster[data-ready='1']")
    with live.session() as session:
        assert session.scalar(select(func.count(HandOver.id))) == 2
        entitlement = session.scalar(
            select(Entitlement).where(Entitlement.household_number == number)
        )
        assert entitlement is not None and entitlement.status == EntitlementStatus.COLLECTED
        from registry.payments.models import PaymentCycle

        cycle = session.get(PaymentCycle, cycle_id)
        report = double_collections(session, cycle, Scope.unrestricted())
        assert [d.household_number for d in report] == [number]
        assert {h.recipient for h in report[0].hand_overs} == {"holder", "proxy"}
        from registry.distribution.models import DistributionPoint

        point = session.get(DistributionPoint, point_id)
        lines = stock_report(session, cycle, point)
        assert [(s.item, s.handed_out) for s in lines] == [("Maize", Decimal(50))]
    for context, _page in phones:
        context.close()
