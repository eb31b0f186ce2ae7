"""What a card says about its holder: the least that lets a worker recognise them."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from registry.households.models import Household, Person
from registry.programs.service import enrolled_program_codes

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_holder_ref() -> str:
    """A random pseudonym: links a holder's cards without naming them."""
    return "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(8))


def holder_person(household: Household, person: Person | None) -> Person | None:
    return person if person is not None else household.head


def holder_name(household: Household, person: Person | None) -> str:
    holder = holder_person(household, person)
    return holder.full_name if holder else household.number


def initials(person: Person | None) -> str | None:
    if person is None:
        return None
    letters = [name.strip()[:1].upper() for name in (person.given_name, person.family_name)]
    return "".join(letter for letter in letters if letter) or None


def holder_language(household: Household, person: Person | None) -> str:
    holder = holder_person(household, person)
    return holder.language if holder else "en"


def program_codes(session: Session, household: Household) -> list[str]:
    """Programs where the household is enrolled now."""
    return sorted(enrolled_program_codes(session, household))
