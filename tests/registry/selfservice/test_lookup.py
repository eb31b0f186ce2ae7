"""Status lookup: found by phone, or by number plus the head's birth year; rate-limited per
phone and per target; every failure looks the same."""

from __future__ import annotations

from registry.numbers import luhn_check_digit
from registry.selfservice.lookup import (
    PHONE_ATTEMPTS,
    TARGET_ATTEMPTS,
    find_household_for_status,
    is_lookup_number,
)
from tests.factories import community, make_household


def _phone(n: int) -> str:
    return f"+2547330{n:05d}"


def test_found_by_the_calling_phone(db_session, kv):
    household = make_household(db_session, community(db_session), phone=_phone(1))
    found = find_household_for_status(db_session, kv, caller_phone=_phone(1))
    assert found is not None and found.id == household.id


def test_phone_shared_by_two_households_finds_none(db_session, kv):
    area = community(db_session)
    make_household(db_session, area, phone=_phone(2))
    make_household(db_session, area, phone=_phone(2))
    assert find_household_for_status(db_session, kv, caller_phone=_phone(2)) is None


def test_number_and_birth_year(db_session, kv):
    household = make_household(db_session, community(db_session), phone=None)
    found = find_household_for_status(
        db_session, kv, caller_phone=_phone(3), number=household.number, head_birth_year=1980
    )
    assert found is not None and found.id == household.id
    assert (
        find_household_for_status(
            db_session, kv, caller_phone=_phone(3), number=household.number, head_birth_year=1981
        )
        is None
    )


def test_mistyped_number_costs_no_attempt(db_session, kv):
    household = make_household(db_session, community(db_session), phone=None)
    wrong = household.number[:-1] + str((int(household.number[-1]) + 1) % 10)
    assert not is_lookup_number(wrong)
    for _ in range(PHONE_ATTEMPTS + 3):
        find_household_for_status(
            db_session, kv, caller_phone=_phone(4), number=wrong, head_birth_year=1980
        )
    assert find_household_for_status(
        db_session, kv, caller_phone=_phone(4), number=household.number, head_birth_year=1980
    )


def test_locked_out_phone_gets_none_even_when_right(db_session, kv):
    household = make_household(db_session, community(db_session), phone=None)
    for n in range(PHONE_ATTEMPTS):
        body = f"7{n:07d}"
        find_household_for_status(
            db_session,
            kv,
            caller_phone=_phone(5),
            number=body + luhn_check_digit(body),
            head_birth_year=1980,
        )
    assert (
        find_household_for_status(
            db_session, kv, caller_phone=_phone(5), number=household.number, head_birth_year=1980
        )
        is None
    )
    other_phone = find_household_for_status(
        db_session, kv, caller_phone=_phone(6), number=household.number, head_birth_year=1980
    )
    assert other_phone is not None


def test_target_is_locked_after_tries_from_many_phones(db_session, kv):
    household = make_household(db_session, community(db_session), phone=None)
    for n in range(TARGET_ATTEMPTS):
        find_household_for_status(
            db_session,
            kv,
            caller_phone=_phone(10 + n),
            number=household.number,
            head_birth_year=1900,
        )
    assert (
        find_household_for_status(
            db_session, kv, caller_phone=_phone(99), number=household.number, head_birth_year=1980
        )
        is None
    )


def test_a_real_issued_card_number_finds_its_household(db_session, kv, tmp_path):
    from registry.cards.keys import Keyring
    from registry.cards.service import issue_card
    from registry.origin import Origin

    household = make_household(db_session, community(db_session), phone=None)
    card = issue_card(
        db_session, household, origin=Origin.system("tests"), keyring=Keyring(tmp_path / "keys")
    )
    assert is_lookup_number(card.number) and card.number != household.number
    year = household.head.birth_year
    found = find_household_for_status(
        db_session, kv, caller_phone=_phone(9), number=card.number, head_birth_year=year
    )
    assert found is not None and found.id == household.id
    wrong_year = find_household_for_status(
        db_session, kv, caller_phone=_phone(9), number=card.number, head_birth_year=year - 1
    )
    assert wrong_year is None
