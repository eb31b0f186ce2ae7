"""Name, date, phone and ID forms that comparisons and blocking work on.

Names are folded so that the spellings that transliteration produces for one sound compare
equal: French and English renderings of Swahili, Somali and Arabic names ("Youssouf" and
"Yusuf", "Tchebet" and "Chebet", "Mohammed" and "Mohamed"), accents, doubled letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Applied in order, on lower-case ASCII. Multi-letter spellings of one sound first.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("tch", "ch"),
    ("dj", "j"),
    ("dh", "d"),
    ("th", "t"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "x"),
    ("ch", "x"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("y", "i"),
)
_NOT_LETTER = re.compile(r"[^a-z ]+")
_REPEAT = re.compile(r"(.)\1+")
_VOWELS = str.maketrans("", "", "aeiou")


@lru_cache(maxsize=65536)
def fold(name: str | None) -> str:
    """Lower-case ASCII letters and single spaces, transliteration variants made equal."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NOT_LETTER.sub(" ", text.replace("'", "").replace("-", " "))
    for old, new in _FOLDS:
        text = text.replace(old, new)
    text = _REPEAT.sub(r"\1", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def skeleton(name: str | None) -> str:
    """A phonetic key: first letter, then the consonants (vowels are what spellings vary most).

    Only the first word of a name counts, so "Mary Akinyi" and "Mary" share a key."""
    folded = fold(name)
    if not folded:
        return ""
    word = folded.split()[0]
    return (word[0] + word[1:].translate(_VOWELS))[:8]


def digits(value: str | None) -> str:
    return "".join(c for c in (value or "") if c.isdigit())


def birth_string(birth_date: object, birth_year: object) -> str:
    """ "YYYYMMDD" when the date is known, "YYYY" when only the year is, "" when neither.

    Dates stay strings so that a mistyped date (19560231) still compares with the true one."""
    if birth_date:
        text = digits(str(birth_date))
        if len(text) == 8:
            return text
    year = digits(str(birth_year or ""))
    return year if len(year) == 4 else ""


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or len(number) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
