"""Joins reply parts and shortens the last ones so a reply stays within two SMS segments."""

from __future__ import annotations

from registry.messaging.encoding import segments

MAX_SEGMENTS = 2


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text)[1] <= max_segments


def fit_parts(parts: list[str], max_segments: int = MAX_SEGMENTS) -> str:
    """Keeps whole parts while they fit; the first part that does not is cut with '...'."""
    text = ""
    for part in parts:
        candidate = f"{text} {part}".strip()
        if fits(candidate, max_segments):
            text = candidate
            continue
        cut = part
        while cut and not fits(f"{text} {cut}...".strip(), max_segments):
            cut = cut[:-1]
        return f"{text} {cut.rstrip()}...".strip() if cut else text
    return text
