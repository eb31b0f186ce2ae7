"""What a voice gateway's callback says, once its own field names are read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voice.turn import Speech

# For a sentence: the URL of its audio clip, or None (then the gateway speaks the text).
ClipUrl = Callable[[Speech], str | None]


@dataclass(frozen=True)
class CallEvent:
    gateway: str
    call_id: str
    phone: str
    digits: str | None = None
    recording_url: str | None = None
    recording_id: str | None = None
    recording_seconds: int | None = None
    active: bool = True  # False: the gateway says the call is over (nothing to answer)
    incoming: bool = True


def as_int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None
