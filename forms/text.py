"""Cleaning of what people type, shared by every field type.

Input arrives from keypads, browsers and gateways; it may hold NUL bytes, bidi overrides,
thousands of characters or fragments of SQL and HTML. Text is normalized (NFC), control and
format characters are refused (they hide what a name really says), and digits from any
script (Arabic-Indic included) are read as digits.
"""

from __future__ import annotations

import unicodedata

# Characters allowed inside names besides letters and combining marks.
NAME_PUNCTUATION = frozenset(" -'.’")
# Zero-width joiners are legitimate inside Arabic and Indic names.
ALLOWED_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})


def has_control_chars(text: str, *, allow_newlines: bool = False) -> bool:
    """True when `text` holds control or invisible format characters (NUL, bidi overrides...)."""
    for char in text:
        if allow_newlines and char in "\n\r\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn"):
            return True
        if category == "Cf" and char not in ALLOWED_FORMAT_CHARS:
            return True
    return False


def squash_spaces(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_name_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in ("L", "M") or char in NAME_PUNCTUATION or char in ALLOWED_FORMAT_CHARS


def ascii_digits(text: str, separators: str = " -") -> str | None:
    """The digits of `text` (`separators` dropped) in ASCII, or None if anything else."""
    kept = [c for c in text.strip() if c not in separators]
    if not kept or not all(c.isdecimal() for c in kept):
        return None
    return "".join(str(unicodedata.decimal(c)) for c in kept)
