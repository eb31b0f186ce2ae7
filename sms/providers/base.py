"""One interface for every SMS gateway, and the two ways a send can fail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


class TemporaryFailure(Exception):
    """Worth trying again later: the gateway is down, busy, slow or not configured yet."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentFailure(Exception):
    """Trying again cannot help: the number is invalid, blacklisted, or opted out upstream."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SmsProvider(Protocol):
    name: str
    # Messages per second this gateway accepts from one worker (0: no limit).
    rate_per_second: float

    def send(self, to: str, body: str) -> SendResult:
        """Hands one message to the gateway; raises TemporaryFailure or PermanentFailure."""
        ...
