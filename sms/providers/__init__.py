"""SMS providers behind one interface; the backend is picked by `KINGA_SMS_PROVIDER`."""

from __future__ import annotations

from registry.settings import Settings
from sms.providers.base import SmsProvider


def make_provider(settings: Settings) -> SmsProvider:
    if settings.sms_provider == "console":
        from sms.providers.console import ConsoleProvider

        return ConsoleProvider()
    if settings.sms_provider == "memory":
        from sms.providers.memory import MemoryProvider

        return MemoryProvider()
    raise ValueError(f"SMS provider {settings.sms_provider!r} is not available yet")
