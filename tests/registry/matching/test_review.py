"""Self-registrations held for review, decisions, merges and their undoing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.errors import Conflict, NotFound
from registry.households.models import Household, HouseholdStatus, Person
from registry.households.service import HouseholdData, MemberData, register_household
from registry.matching.models import MatchPair, Merge, PairStatus
from registry.matching.review import decide, decide_batch, get_pair, open_pairs, undo
from registry.origin import Channel, Origin
from registry.scope import Scope
from tests.factories import community, make_household

REVIEWER = Origin(Channel.WEB, "en", actor_name="reviewer")
EVERYWHERE = Scope.unrestricted()


def self_registration(
    session: Session, area_code: str, *, given: str = "Amiina", phone: str = "+254799000111"
) -> Household:
    """The same Amina Otieno (born 1980) again by USSD, spelt differently, one year off."""
    data = HouseholdData(
        area_code=area_code,
        members=[
            MemberData(given, "Otieno", "F", 1981, "head", phone=phone),
            MemberData("Baraka", "Otieno", "M", 2015, "child"),
        ],
        consent_given=True,
    )
    return register_household(session, data, origin=Origin(Channel.USSD, "sw"))


def test_matching_self_registration_is_held_with_a_pair(db_session: Session) -> None:
    area = community(db_session, 0)
    existing = make_household(db_session, area, members=1)
    held = self_registration(db_session, area.code)
    assert held.status == HouseholdStatus.HELD
    pairs = open_pairs(db_session, EVERYWHERE)
    assert [(p.household_a.id, p.household_b.id) for p in pairs] == [(existing.id, held.id)]
    assert pairs[0].pair.origin == "self_registration" and pairs[0].pair.score >= 0.5
    other = self_registration(
        db_session, community(db_session, 1).code, given="Zawadi", phone="+254799000222"
    )
    assert other.status == HouseholdStatus.PENDING_VERIFICATION  # nobody like her


def test_different_people_is_remembered_and_releases_the_hold(db_session: Session) -> None:
    area = community(db_session, 0)
    make_household(db_session, area, members=1)
    held = self_registration(db_session, area.code)
    pair = open_pairs(db_session, EVERYWHERE)[0].pair
    decide(db_session, EVERYWHERE, pair.id, "different", origin=REVIEWER)  # type: ignore[arg-type]
    assert pair.status == PairStatus.DIFFERENT
    assert held.status == HouseholdStatus.PENDING_VERIFICATION
    with pytest.raises(Conflict):
        decide(db_session, EVERYWHERE, pair.id, "same", origin=REVIEWER)  # type: ignore[arg-type]


def test_same_person_merges_moves_and_can_be_undone(db_session: Session) -> None:
    area = community(db_session, 0)
    existing = make_household(db_session, area, members=1, phone=None)
    held = self_registration(db_session, area.code)
    head_of_held = held.head
    grievance_person = head_of_held.id
    view = open_pairs(db_session, EVERYWHERE)[0]
    merge = decide(db_session, EVERYWHERE, view.pair.id, "same", origin=REVIEWER)  # type: ignore[arg-type]
    assert merge is not None
    assert held.status == HouseholdStatus.MERGED and held.merged_into_id == existing.id
    names = sorted(m.given_name for m in existing.members)
    assert names == ["Amina", "Baraka"]  # the child moved over, Amina kept once
    assert existing.head.phone == "+254799000111"  # a value the survivor lacked is filled
    undo(db_session, EVERYWHERE, merge.id, origin=REVIEWER)
    assert held.status == HouseholdStatus.HELD and held.merged_into_id is None
    assert [m.given_name for m in existing.members] == ["Amina"]
    assert existing.head.phone is None
    assert db_session.get(Person, grievance_person).household_id == held.id
    assert db_session.get(MatchPair, view.pair.id).status == PairStatus.OPEN
    with pytest.raises(Conflict):
        undo(db_session, EVERYWHERE, merge.id, origin=REVIEWER)
    assert db_session.scalar(select(Merge.undone_at).where(Merge.id == merge.id)) is not None


def test_batch_is_all_or_nothing_and_scope_hides_pairs(db_session: Session) -> None:
    area = community(db_session, 0)
    make_household(db_session, area, members=1)
    self_registration(db_session, area.code)
    pair = open_pairs(db_session, EVERYWHERE)[0].pair
    elsewhere = Scope.of_areas([community(db_session, 1)])
    with pytest.raises(NotFound):
        get_pair(db_session, elsewhere, pair.id)
    assert open_pairs(db_session, elsewhere) == []
    savepoint = db_session.begin_nested()
    with pytest.raises(Conflict):
        decide_batch(
            db_session, EVERYWHERE, [(pair.id, "different"), (pair.id, "same")], origin=REVIEWER
        )
    savepoint.rollback()
    assert db_session.get(MatchPair, pair.id).status == PairStatus.OPEN
