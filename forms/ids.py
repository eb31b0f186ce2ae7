"""National ID numbers: the country's format, and its check digit where the scheme has one.

python-stdnum knows several national schemes with checksums; for the others a format rule.
A country missing here gets a generic rule: 5 to 20 letters and digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum.exceptions import ValidationError
from stdnum.in_ import aadhaar
from stdnum.pk import cnic
from stdnum.za import idnr

from forms.text import ascii_digits

Checker = Callable[[str], str | None]


def _stdnum(module: object) -> Checker:
    def check(text: str) -> str | None:
        try:
            return str(module.validate(text))  # type: ignore[attr-defined]
        except (ValidationError, ValueError, TypeError):
            return None

    return check


def _digits(low: int, high: int) -> Checker:
    def check(text: str) -> str | None:
        digits = ascii_digits(text)
        if digits is None or not low <= len(digits) <= high:
            return None
        return digits

    return check


GENERIC = re.compile(r"^[A-Z0-9]{5,20}$")

SCHEMES: dict[str, Checker] = {
    "KE": _digits(7, 8),  # Kenyan national ID card: 7 or 8 digits, no check digit
    "TZ": _digits(20, 20),  # NIDA number: 20 digits
    "UG": lambda t: t if re.fullmatch(r"C[MF][A-Z0-9]{12}", t) else None,  # NIN
    "ZA": _stdnum(idnr),  # 13 digits, Luhn check digit
    "PK": _stdnum(cnic),  # 13 digits
    "IN": _stdnum(aadhaar),  # 12 digits, Verhoeff check digit
}


def clean_national_id(text: str, country: str) -> str | None:
    """The normalized ID (upper case, separators dropped), or None when it is not valid."""
    compact = "".join(c for c in text.strip() if c not in " -/.").upper()
    if not compact or len(compact) > 24:
        return None
    check = SCHEMES.get(country.upper())
    if check is not None:
        return check(compact)
    return compact if GENERIC.fullmatch(compact) else None
