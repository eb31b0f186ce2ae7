"""What the caller hears next and what the call waits for, before any gateway's markup."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Speech:
    """One sentence in one language; `key` names a fixed prompt (a recorded file may exist)."""

    text: str
    language: str
    key: str | None = None


@dataclass(frozen=True)
class Gather:
    """Wait for keypad digits: one key for a menu, up to `max_digits` ended by # for a number."""

    max_digits: int
    finish_on_hash: bool = False
    timeout_seconds: int = 8


@dataclass(frozen=True)
class Record:
    """Record the caller after a beep, until # or `max_seconds`."""

    max_seconds: int = 120


@dataclass
class Turn:
    """Sentences to say, then a Gather, a Record, or (None) the end of the call."""

    speech: list[Speech] = field(default_factory=list)
    then: Gather | Record | None = None

    @property
    def ends(self) -> bool:
        return self.then is None
