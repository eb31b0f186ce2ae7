"""Joins reply parts and shortens the last ones so a reply stays within two SMS segments.

Measured as sent: the gateway transliterates Latin-script replies to GSM-7 where it can
(`registry.messaging.encoding.fit_for_sms`), so "ç" or "ã" do not turn a French or Portuguese
reply into UCS-2 and cut it at 134 characters when 306 fit.
"""

from __future__ import annotations

from registry.messaging.encoding import fit_for_sms, segments

MAX_SEGMENTS = 2


def fits(text: str, language: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(fit_for_sms(text, language))[1] <= max_segments


def fit_parts(parts: list[str], language: str, max_segments: int = MAX_SEGMENTS) -> str:
    """Keeps whole parts while they fit; the first part that does not is cut with '...'."""
    text = ""
    for part in parts:
        candidate = f"{text} {part}".strip()
        if fits(candidate, language, max_segments):
            text = candidate
            continue
        cut = part
        while cut and not fits(f"{text} {cut}...".strip(), language, max_segments):
            cut = cut[:-1]
        return f"{text} {cut.rstrip()}...".strip() if cut else text
    return text
