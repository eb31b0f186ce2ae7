"""Register through USSD with the real registration form of `forms/` (no stand-ins)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from registry.households.models import Household, HouseholdStatus
from registry.outbox.models import OutboxMessage
from tests.ussd.conftest import LANGUAGE_KEYS, answer_for, new_phone, ussd_dial
from ussd.state import load_state


@pytest.mark.parametrize("language", list(LANGUAGE_KEYS))
def test_register_with_the_real_form(client, kv, db_session, language):
    phone = new_phone()
    call = ussd_dial(client, phone, LANGUAGE_KEYS[language], "1")
    for _ in range(40):
        if call.last.startswith("END "):
            break
        call.send(answer_for(kv, call))
    assert call.last.startswith("END "), call.replies[-3:]
    household = db_session.scalar(select(Household).where(Household.members.any(phone=phone)))
    assert household is not None and household.number in call.last
    assert household.status == HouseholdStatus.PENDING_VERIFICATION
    assert [m.given_name for m in household.members] == ["Amina", "Amina"]
    assert household.head.birth_year == 1980 and household.head.language == language
    assert db_session.scalar(select(OutboxMessage).where(OutboxMessage.to_phone == phone))


def test_real_form_pages_with_98_and_goes_back_with_0(client, kv):
    call = ussd_dial(client, None, "1", "1")
    for _ in range(20):
        state = load_state(kv, "africastalking", call.session_id)
        if state.data["form"]["step"]["field"] == "area":
            break
        call.send(answer_for(kv, call))
    region_screen = call.last
    call.send("1")
    district_screen = call.last
    assert district_screen != region_screen
    if "98 " in district_screen:
        call.send("98")
        assert call.last != district_screen
    call.send("0")
    assert call.last == region_screen


def _register(client, kv, phone):  # type: ignore[no-untyped-def]
    call = ussd_dial(client, phone, LANGUAGE_KEYS["en"], "1")
    for _ in range(40):
        if call.last.startswith("END "):
            break
        call.send(answer_for(kv, call))
    return call


def test_registering_twice_by_ussd_is_held_for_review(client, kv, db_session):
    """The same woman dials again from another phone: the second household is held."""
    from registry.matching.models import MatchPair

    first_phone, second_phone = new_phone(), new_phone()
    _register(client, kv, first_phone)
    call = _register(client, kv, second_phone)
    first = db_session.scalar(select(Household).where(Household.members.any(phone=first_phone)))
    held = db_session.scalar(select(Household).where(Household.members.any(phone=second_phone)))
    assert first is not None and first.status == HouseholdStatus.PENDING_VERIFICATION
    assert held is not None and held.number in call.last  # the caller still gets a number
    assert held.status == HouseholdStatus.HELD  # but no second household in any program
    pair = db_session.scalar(select(MatchPair).where(MatchPair.household_b_id == held.id))
    assert pair is not None and pair.household_a_id == first.id
    assert pair.origin == "self_registration"
