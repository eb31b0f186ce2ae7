"""Idempotent registration, the duplicate warning, edits with optimistic locking, consent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.editing import (
    StaleEdit,
    latest_consent,
    record_consent,
    update_household,
    verify_household,
)
from registry.households.models import Household, HouseholdStatus
from registry.households.service import (
    HouseholdData,
    MemberData,
    OnDuplicate,
    PossibleDuplicates,
)
from registry.households.worklists import pending_verification
from registry.matching.check import find_candidates
from registry.matching.models import MatchPair
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.submissions.service import register_household_once
from tests.factories import community, make_household

FIELD = Origin(Channel.FIELD, "en", actor_name="tests")
RECORD = OnDuplicate.RECORD
EVERYWHERE = Scope.unrestricted()


def data(
    area_code: str, *, phone: str | None = "+254733000111", name: str = "Fatuma"
) -> HouseholdData:
    return HouseholdData(
        area_code=area_code,
        members=[
            MemberData(name, "Ali", "F", 1975, "head", phone=phone),
            MemberData("Omar", "Ali", "M", 2008, "child"),
        ],
        consent_given=True,
    )


def test_same_key_returns_the_same_household(db_session) -> None:  # type: ignore[no-untyped-def]
    area = community(db_session)
    first, created = register_household_once(
        db_session, "key-" + "a" * 20, data(area.code), origin=FIELD
    )
    again, created_again = register_household_once(
        db_session, "key-" + "a" * 20, data(area.code), origin=FIELD
    )
    assert created and not created_again and first.id == again.id
    with pytest.raises(PossibleDuplicates):  # a second key with the same people: asked first
        register_household_once(db_session, "key-" + "b" * 20, data(area.code), origin=FIELD)
    other, _ = register_household_once(
        db_session,
        "key-" + "b" * 20,
        data(area.code),
        origin=FIELD,
        on_duplicate=OnDuplicate.RECORD,
    )
    assert other.id != first.id
    pair = db_session.scalar(select(MatchPair).where(MatchPair.household_b_id == other.id))
    assert pair is not None and pair.household_a_id == first.id and pair.status == "open"


@pytest.mark.parametrize(
    "key", ["", "short", "x" * 65, "bad key with spaces!!", "'; DROP--xxxxxxxxxx"]
)
def test_keys_must_be_well_formed(db_session, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        register_household_once(db_session, key, data(community(db_session).code), origin=FIELD)


def test_duplicate_check_finds_spellings_and_phones(db_session) -> None:  # type: ignore[no-untyped-def]
    area, elsewhere = community(db_session, 0, 0), community(db_session, 0, 1)
    existing = make_household(db_session, area, phone="+254733000111", head_name="Zuhura")

    def found(household_data: HouseholdData, **kwargs: object) -> list[int]:
        return [c.household_id for c in find_candidates(db_session, household_data, **kwargs)]

    moved = data(elsewhere.code, name="Zuhura")
    moved.members[0] = replace(moved.members[0], family_name="Otieno", birth_year=1980)
    assert found(moved) == [existing.id]  # registered again in another community
    assert found(data(area.code)) == []  # another woman who shares the phone is not her
    respelt = data(area.code, phone=None, name="Zouhoura")  # French transliteration
    respelt.members[0] = replace(respelt.members[0], family_name="Otieno", birth_year=1981)
    assert found(respelt) == [existing.id]  # spelling and a birth year one off
    swapped = data(area.code, phone=None, name="Otieno")
    swapped.members[0] = replace(swapped.members[0], family_name="Zuhura", birth_year=1980)
    assert found(swapped) == [existing.id]  # given and family name in the other order
    assert found(data(area.code, phone="+254733999999")) == []  # nothing in common
    assert found(moved, exclude_household_id=existing.id) == []


def test_update_refuses_an_old_version(db_session) -> None:  # type: ignore[no-untyped-def]
    area = community(db_session)
    household, _ = register_household_once(db_session, "k" * 20, data(area.code), origin=FIELD)
    version = household.version
    changed = data(area.code, name="Fatma")
    update_household(db_session, EVERYWHERE, household.number, changed, version, origin=FIELD)
    assert household.head.given_name == "Fatma" and household.version == version + 1
    person_ids = [m.id for m in household.members]
    with pytest.raises(StaleEdit) as stale:
        update_household(
            db_session, EVERYWHERE, household.number, data(area.code), version, origin=FIELD
        )
    assert stale.value.current.head.given_name == "Fatma"
    smaller = data(area.code)
    smaller.members = smaller.members[:1]
    update_household(db_session, EVERYWHERE, household.number, smaller, version + 1, origin=FIELD)
    assert [m.id for m in household.members] == person_ids[:1]  # the same person kept


def test_update_outside_scope_is_not_found(db_session) -> None:  # type: ignore[no-untyped-def]
    area = community(db_session, 1)
    household = make_household(db_session, area)
    mine = Scope.of_areas([community(db_session, 0)])
    with pytest.raises(NotFound):
        update_household(db_session, mine, household.number, data(area.code), 1, origin=FIELD)


def test_verify_only_pending_households(db_session) -> None:  # type: ignore[no-untyped-def]
    area = community(db_session)
    pending = make_household(db_session, area, channel=Channel.USSD, members=1)
    assert pending in pending_verification(db_session, EVERYWHERE, limit=500)
    verify_household(
        db_session,
        EVERYWHERE,
        pending.number,
        data(area.code),
        pending.version,
        origin=replace(FIELD, actor_id=None),
    )
    assert pending.status == HouseholdStatus.ACTIVE and pending.verified_at is not None
    with pytest.raises(Conflict):
        verify_household(
            db_session, EVERYWHERE, pending.number, data(area.code), pending.version, origin=FIELD
        )


def test_record_consent(db_session) -> None:  # type: ignore[no-untyped-def]
    household = make_household(db_session, community(db_session))
    consent = record_consent(
        db_session,
        EVERYWHERE,
        household.number,
        given=False,
        method="thumbprint",
        on=date(2026, 1, 5),
        origin=FIELD,
    )
    assert latest_consent(db_session, household).id == consent.id
    assert consent.recorded_at.date() == date(2026, 1, 5) and consent.notice_version
    with pytest.raises(InvalidInput):
        record_consent(
            db_session,
            EVERYWHERE,
            household.number,
            given=True,
            method="<b>",
            on=date(2026, 1, 5),
            origin=FIELD,
        )


def test_households_count_is_unchanged_by_refused_keys(db_session) -> None:  # type: ignore[no-untyped-def]
    before = db_session.scalar(select(func.count(Household.id)))
    with pytest.raises(InvalidInput):
        register_household_once(db_session, "", data(community(db_session).code), origin=FIELD)
    assert db_session.scalar(select(func.count(Household.id))) == before
