"""GSM-7 or UCS-2: how an SMS is encoded and how many segments it costs.

A GSM-7 message holds 160 characters in one segment, 153 per segment when split; characters of
the extension table (`{}[]~|^€\\` and form feed) take two septets. Anything outside the GSM-7
alphabet turns the whole message into UCS-2: 70 characters in one segment, 67 when split, and
characters beyond the Basic Multilingual Plane count twice (UTF-16 surrogate pairs).
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

# Plain forms for characters outside GSM-7 that Latin-script languages use often.
_REPLACEMENTS = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‑": "-",
    "…": "...",
    "•": "*",
    "\u00a0": " ",
    "\u202f": " ",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",  # GSM-7 has only the capital Ç
    "º": "o",
    "ª": "a",
}
# Languages written in a script GSM-7 cannot carry: never transliterated.
NON_LATIN_LANGUAGES = frozenset({"ar"})


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def segments(text: str) -> tuple[Encoding, int]:
    """The encoding a phone network will use for `text` and how many segments it takes."""
    encoding: Encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    single, multi = (160, 153) if encoding == "GSM-7" else (70, 67)
    units = _units(text, encoding)
    if units <= single:
        return encoding, 1
    return encoding, -(-units // multi)


def _plain(ch: str) -> str:
    if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
        return ch
    if ch in _REPLACEMENTS:
        return _REPLACEMENTS[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and all(c in GSM7_BASIC for c in base):
        return base
    return ch


def to_gsm7(text: str) -> str:
    """Replaces characters outside GSM-7 by their plain forms (ô -> o, ’ -> ')."""
    return "".join(_plain(ch) for ch in text)


def fit_for_sms(text: str, language: str) -> str:
    """The text to send: transliterated to GSM-7 when the language allows and it then fits.

    Arabic stays UCS-2. A Latin-script message that still holds a character with no plain form
    is sent unchanged, rather than with that character lost.
    """
    if language in NON_LATIN_LANGUAGES or is_gsm7(text):
        return text
    plain = to_gsm7(text)
    return plain if is_gsm7(plain) else text
