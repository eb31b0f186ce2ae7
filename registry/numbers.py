"""Numbers people type: digits only, Luhn check digit last, so a mistyped digit is caught."""

from __future__ import annotations

import secrets


def luhn_check_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_valid(number: str, length: int | None = None) -> bool:
    """True when `number` is all digits (of `length` if given) and its check digit matches."""
    cleaned = normalize(number)
    if len(cleaned) < 2 or not cleaned.isdigit():
        return False
    if length is not None and len(cleaned) != length:
        return False
    return luhn_check_digit(cleaned[:-1]) == cleaned[-1]


def normalize(number: str) -> str:
    """Drops the spaces and dashes people type between digit groups."""
    return "".join(ch for ch in number.strip() if ch not in " -")


def random_number(length: int) -> str:
    """A random number of `length` digits (check digit included), never starting with 0."""
    body = str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(length - 2)
    )
    return body + luhn_check_digit(body)


def group(number: str, size: int = 4) -> str:
    return " ".join(number[i : i + size] for i in range(0, len(number), size))


HOUSEHOLD_NUMBER_LENGTH = 9
GRIEVANCE_NUMBER_LENGTH = 8
CARD_NUMBER_LENGTH = 12
