"""Field-level masking, decided once here and used by every desk and export that shows people.

Without `Permission.PII_FULL` a phone shows only its last 3 digits, a national ID only its
last 2 characters, and a birth date only its year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from registry.users.roles import Permission

MASK = "•"


class _HasBirth(Protocol):
    birth_year: int

    @property
    def birth_date(self) -> object | None: ...


class _Personal(_HasBirth, Protocol):
    phone: str | None
    national_id: str | None


def mask_phone(phone: str | None) -> str:
    """`+254712345678` -> `•••••678`: the last 3 digits let a person recognise their number."""
    if not phone:
        return ""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) <= 3:
        return MASK * 5
    return MASK * 5 + "".join(digits[-3:])


def mask_national_id(national_id: str | None) -> str:
    """`12345678` -> `••••78`; a fixed-width mask does not reveal the length of the number."""
    if not national_id:
        return ""
    value = national_id.strip()
    if len(value) <= 4:
        return MASK * 4
    return MASK * 4 + value[-2:]


def sees_full_pii(permissions: Iterable[Permission]) -> bool:
    return Permission.PII_FULL in set(permissions)


def display_birth(person: _HasBirth, permissions: Iterable[Permission]) -> str:
    """The exact birth date for roles that need it (ISO), the birth year for everyone else."""
    if sees_full_pii(permissions) and person.birth_date is not None:
        return str(person.birth_date)
    return str(person.birth_year)


def display_phone(phone: str | None, permissions: Iterable[Permission]) -> str:
    return (phone or "") if sees_full_pii(permissions) else mask_phone(phone)


def display_national_id(national_id: str | None, permissions: Iterable[Permission]) -> str:
    return (national_id or "") if sees_full_pii(permissions) else mask_national_id(national_id)


@dataclass(frozen=True)
class PersonalFields:
    phone: str
    national_id: str
    birth: str


def personal_fields(person: _Personal, permissions: Iterable[Permission]) -> PersonalFields:
    """The three sensitive fields of a person as this caller may see them."""
    granted = frozenset(permissions)
    return PersonalFields(
        phone=display_phone(person.phone, granted),
        national_id=display_national_id(person.national_id, granted),
        birth=display_birth(person, granted),
    )


def initials(full_name: str | None) -> str:
    """`Amina Otieno` -> `A. O.`: enough to check a person, not enough to find them."""
    return " ".join(f"{part[0]}." for part in (full_name or "").split() if part)


def sees_names(permissions: Iterable[Permission]) -> bool:
    """Names of people: roles that handle households, export them or see personal data."""
    granted = set(permissions)
    return bool(granted & {Permission.EXPORT, Permission.PII_FULL, Permission.HOUSEHOLD_VIEW})
