"""Finding a caller's own household for a status answer, without helping anyone enumerate.

Unknown number, wrong birth year and a locked-out phone all give the same answer (None), so a
menu built on this cannot tell a caller who is registered. Each attempt by number costs one
unit of two budgets in the key-value store: the calling phone's and the target number's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.cards.service import find_household_by_card
from registry.households.models import Household, Person
from registry.kvstore import KeyValueStore
from registry.numbers import CARD_NUMBER_LENGTH, HOUSEHOLD_NUMBER_LENGTH, is_valid, normalize

PHONE_ATTEMPTS = 5  # lookups by number per calling phone per window
TARGET_ATTEMPTS = 5  # lookups against one household or card number per window, from any phone
WINDOW_SECONDS = 3600
LOOKUP_NUMBER_LENGTHS = (HOUSEHOLD_NUMBER_LENGTH, CARD_NUMBER_LENGTH)


class LookupLimited(Exception):
    """A budget is spent. Used inside this module only: callers always just get None."""


def is_lookup_number(number: str) -> bool:
    """True for a well-formed household or card number (right length, check digit matches).

    Doors call this before asking anything else, so a mistyped digit is caught at once and
    never costs a lookup.
    """
    cleaned = normalize(number)
    return len(cleaned) in LOOKUP_NUMBER_LENGTHS and is_valid(cleaned)


def households_with_phone(session: Session, phone: str) -> list[int]:
    """Ids of (at most two) households with a member using this phone."""
    stmt = select(Person.household_id).where(Person.phone == phone).distinct().limit(2)
    return list(session.scalars(stmt))


def find_household_for_status(
    session: Session,
    kv: KeyValueStore,
    *,
    caller_phone: str,
    number: str | None = None,
    head_birth_year: int | None = None,
) -> Household | None:
    """The caller's household by phone, or by number plus the head's birth year; else None."""
    if number is None:
        ids = households_with_phone(session, caller_phone)
        return _load(session, Household.id == ids[0]) if len(ids) == 1 else None
    number = normalize(number)
    if not is_lookup_number(number) or head_birth_year is None:
        return None
    try:
        _spend(kv, f"lookup:phone:{caller_phone}", PHONE_ATTEMPTS)
        _spend(kv, f"lookup:target:{number}", TARGET_ATTEMPTS)
    except LookupLimited:
        return None
    household = _by_number(session, number)
    if household is None:
        return None
    head = household.head
    if head is None or head.birth_year != head_birth_year:
        return None
    return household


def _spend(kv: KeyValueStore, key: str, budget: int) -> None:
    if kv.incr(key, WINDOW_SECONDS) > budget:
        raise LookupLimited(key)


def _load(session: Session, condition: object) -> Household | None:
    stmt = select(Household).options(selectinload(Household.members)).where(condition)  # type: ignore[arg-type]
    return session.scalar(stmt)


def _by_number(session: Session, number: str) -> Household | None:
    if len(number) == HOUSEHOLD_NUMBER_LENGTH:
        return _load(session, Household.number == number)
    return _by_card(session, number)


def _by_card(session: Session, card_number: str) -> Household | None:
    return find_household_by_card(session, card_number)
