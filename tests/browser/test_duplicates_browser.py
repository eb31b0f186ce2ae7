"""The duplicates desk in a real Chromium: side by side, merge, undo, then a batch decision."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from registry.households.models import Household, HouseholdStatus
from registry.households.service import HouseholdData, MemberData, register_household
from registry.origin import Channel, Origin
from tests.browser.conftest import SCREENSHOTS, Live, login
from tests.factories import community, make_household, make_user

pytestmark = pytest.mark.browser


def _held_pair(live: Live) -> tuple[str, str]:
    with live.session() as session:
        place = community(session, 0, 1)
        make_user(session, {"program_manager"}, [place.parent.parent.code], username="reviewer")
        first = make_household(session, place, members=2, phone=None, family_name="Wanjiru")
        again = register_household(
            session,
            HouseholdData(
                area_code=place.code,
                members=[MemberData("Aminah", "Wanjiru", "F", 1981, "head", phone="+254722555111")],
                consent_given=True,
            ),
            origin=Origin(Channel.USSD, "sw", phone="+254722555111"),
        )
        session.commit()
        assert again.status == HouseholdStatus.HELD
        return first.number, again.number


def test_reviewer_merges_undoes_and_decides_in_a_batch(live: Live, desk_page) -> None:  # type: ignore[no-untyped-def]
    first, held = _held_pair(live)
    page = desk_page
    login(page, live, "reviewer")
    page.click("text=Possible duplicates")
    assert held in page.content() and first in page.content()
    page.click("table.dups td a")
    rows = page.locator("table.side tr.agree")
    assert rows.count() >= 2  # family name and birth year at least
    assert "same or close" in page.content()
    if os.environ.get("KINGA_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / "duplicates-pair.png"))
    page.click("text=Same person: merge")
    assert "Decided: the same person" in page.locator("#decided").inner_text()
    with live.session() as session:
        merged = session.scalar(select(Household).where(Household.number == held))
        assert merged is not None and merged.status == HouseholdStatus.MERGED
    page.click("text=Undo the merge")
    assert "The merge was undone" in page.locator(".flash").first.inner_text()
    page.click("text=Back to the list")
    page.check("table.dups input[value=different]")
    page.click("text=Save the decisions")
    assert "1 decision(s) saved: 0 merged, 1 kept apart." in page.content()
    assert "Nothing to review." in page.content()
    with live.session() as session:
        released = session.scalar(select(Household).where(Household.number == held))
        assert released is not None and released.status == HouseholdStatus.PENDING_VERIFICATION
