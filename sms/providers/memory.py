from __future__ import annotations

from sms.providers.base import SendResult


class MemoryProvider:
    """Keeps sent messages in a list: for tests and the phone simulator."""

    name = "memory"
    sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> SendResult:
        self.sent.append((to, body))
        return SendResult(provider_message_id=f"memory-{len(self.sent)}")
