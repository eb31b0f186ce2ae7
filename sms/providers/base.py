from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str


class SmsProvider(Protocol):
    name: str

    def send(self, to: str, body: str) -> SendResult: ...
