from __future__ import annotations

import threading

from sms.providers.base import SendResult


class MemoryProvider:
    """Keeps sent messages in a list: for tests and the phone simulator."""

    name = "memory"
    rate_per_second = 0.0
    sent: list[tuple[str, str]] = []
    _lock = threading.Lock()

    def send(self, to: str, body: str) -> SendResult:
        with self._lock:
            self.sent.append((to, body))
            return SendResult(provider_message_id=f"memory-{len(self.sent)}")

    @classmethod
    def sent_to(cls, phone: str) -> list[str]:
        return [body for to, body in cls.sent if to == phone]
