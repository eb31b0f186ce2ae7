from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.cards.keys import Keyring
from registry.cards.models import CardStatus
from registry.cards.payload import read_claims
from registry.cards.service import (
    expire_cards,
    find_household_by_card,
    issue_card,
    issue_missing_cards,
    reissue_card,
    revocation_list,
    revoke_card,
)
from registry.cards.verify import verify_qr
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.numbers import is_valid
from registry.origin import Origin
from registry.scope import Scope
from tests.factories import community, make_household

ORIGIN = Origin.system("tests")


@pytest.fixture()
def keyring(tmp_path: Path) -> Keyring:
    return Keyring(tmp_path / "keys")


def test_issue_signs_a_card_that_verifies(db_session: Session, keyring: Keyring) -> None:
    household = make_household(db_session, community(db_session))
    card = issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    assert is_valid(card.number, 12) and card.status == CardStatus.ACTIVE
    verdict = verify_qr(card.payload, keyring.public_keys(), set(), utcnow())
    assert verdict.valid and verdict.claims is not None
    assert verdict.claims.card_number == card.number
    assert verdict.claims.area_code == household.area.code
    assert verdict.claims.initials == "AO" and verdict.claims.birth_year == 1980
    assert card.key_id == keyring.current_kid()
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "card.issue"))


def test_payload_carries_no_phone_national_id_or_name(
    db_session: Session, keyring: Keyring
) -> None:
    household = make_household(db_session, community(db_session), phone="+254712345678")
    household.head.national_id = "29384756"
    card = issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    claims = read_claims(card.payload)
    flat = repr(claims)
    assert "712345678" not in flat and "29384756" not in flat
    assert "Amina" not in flat and "Otieno" not in flat


def test_one_active_card_per_holder(db_session: Session, keyring: Keyring) -> None:
    household = make_household(db_session, community(db_session))
    issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    with pytest.raises(Conflict):
        issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    member = household.members[1]
    person_card = issue_card(db_session, household, person=member, origin=ORIGIN, keyring=keyring)
    assert person_card.person_id == member.id
    with pytest.raises(Conflict):
        issue_card(db_session, household, person=member, origin=ORIGIN, keyring=keyring)


def test_lost_card_is_revoked_before_the_new_one(db_session: Session, keyring: Keyring) -> None:
    household = make_household(db_session, community(db_session))
    old = issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    new = reissue_card(db_session, old, reason="lost", origin=ORIGIN, keyring=keyring)
    assert old.status == CardStatus.REVOKED and old.revoke_reason == "lost"
    assert new.status == CardStatus.ACTIVE and new.number != old.number
    assert new.holder_ref == old.holder_ref and new.replaces_id == old.id
    assert old.revoked_at is not None and old.revoked_at <= new.issued_at + timedelta(seconds=1)
    listing = revocation_list(db_session)
    assert old.number in listing.numbers and new.number not in listing.numbers


def test_revocation_list_version_grows(db_session: Session, keyring: Keyring) -> None:
    before = revocation_list(db_session).version
    cards = [
        issue_card(
            db_session,
            make_household(db_session, community(db_session)),
            origin=ORIGIN,
            keyring=keyring,
        )
        for _ in range(2)
    ]
    revoke_card(db_session, cards[0], reason="stolen", origin=ORIGIN)
    middle = revocation_list(db_session).version
    revoke_card(db_session, cards[1], reason="damaged", origin=ORIGIN)
    assert before < middle < revocation_list(db_session).version
    with pytest.raises(Conflict):
        revoke_card(db_session, cards[1], reason="lost", origin=ORIGIN)


def test_revoke_needs_a_known_reason(db_session: Session, keyring: Keyring) -> None:
    card = issue_card(
        db_session,
        make_household(db_session, community(db_session)),
        origin=ORIGIN,
        keyring=keyring,
    )
    with pytest.raises(InvalidInput):
        revoke_card(db_session, card, reason="because", origin=ORIGIN)


def test_find_household_by_card(db_session: Session, keyring: Keyring) -> None:
    household = make_household(db_session, community(db_session))
    card = issue_card(db_session, household, origin=ORIGIN, keyring=keyring)
    spaced = " ".join(card.number[i : i + 4] for i in (0, 4, 8))
    assert find_household_by_card(db_session, spaced) is household
    wrong_digit = card.number[:-1] + str((int(card.number[-1]) + 1) % 10)
    assert find_household_by_card(db_session, wrong_digit) is None
    revoke_card(db_session, card, reason="lost", origin=ORIGIN)
    assert find_household_by_card(db_session, card.number) is None


def test_expire_cards(db_session: Session, keyring: Keyring) -> None:
    household = make_household(db_session, community(db_session))
    card = issue_card(
        db_session,
        household,
        origin=ORIGIN,
        keyring=keyring,
        now=utcnow() - timedelta(days=10),
        validity=timedelta(days=5),
    )
    assert find_household_by_card(db_session, card.number) is None
    assert expire_cards(db_session, origin=ORIGIN) >= 1
    assert card.status == CardStatus.EXPIRED
    issue_card(db_session, household, origin=ORIGIN, keyring=keyring)


def test_pending_household_gets_no_card(db_session: Session, keyring: Keyring) -> None:
    from registry.origin import Channel

    household = make_household(db_session, community(db_session), channel=Channel.USSD)
    with pytest.raises(Conflict):
        issue_card(db_session, household, origin=ORIGIN, keyring=keyring)


def test_issue_missing_cards_for_an_area(db_session: Session, keyring: Keyring) -> None:
    area = community(db_session, 1, 2)
    households = [make_household(db_session, area) for _ in range(3)]
    issue_card(db_session, households[0], origin=ORIGIN, keyring=keyring)
    count = issue_missing_cards(
        db_session, area.code, scope=Scope.unrestricted(), origin=ORIGIN, keyring=keyring
    )
    assert count == 2
    assert (
        issue_missing_cards(
            db_session, area.code, scope=Scope.unrestricted(), origin=ORIGIN, keyring=keyring
        )
        == 0
    )
