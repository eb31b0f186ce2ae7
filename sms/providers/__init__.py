"""SMS providers behind one interface; the backend is picked by `KINGA_SMS_PROVIDER`.

`KINGA_SMS_RATE` caps messages per second per worker (default: the provider's own default).
`KINGA_TWILIO_API_URL` and `KINGA_AT_API_URL` point the clients at another API address (a local
fake gateway in tests and benchmarks).
"""

from __future__ import annotations

import os

from registry.settings import Settings
from sms.providers.base import SmsProvider


class ProviderNotConfigured(ValueError):
    pass


def _rate(default: float) -> float:
    raw = os.environ.get("KINGA_SMS_RATE")
    if not raw:
        return default
    try:
        return max(float(raw), 0.0)
    except ValueError:
        raise ProviderNotConfigured(f"KINGA_SMS_RATE: not a number: {raw!r}") from None


def make_provider(settings: Settings) -> SmsProvider:
    if settings.sms_provider == "console":
        from sms.providers.console import ConsoleProvider

        return ConsoleProvider()
    if settings.sms_provider == "memory":
        from sms.providers.memory import MemoryProvider

        return MemoryProvider()
    if settings.sms_provider == "twilio":
        from sms.providers.twilio import DEFAULT_RATE, TwilioProvider

        sid, token, sender = (
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from,
        )
        if not (sid and token and sender):
            raise ProviderNotConfigured(
                "twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM"
            )
        return TwilioProvider(
            sid,
            token,
            sender,
            status_callback=f"{settings.public_url}/sms/twilio/status",
            base_url=os.environ.get("KINGA_TWILIO_API_URL") or None,
            rate_per_second=_rate(DEFAULT_RATE),
        )
    if settings.sms_provider == "africastalking":
        from sms.providers.africastalking import DEFAULT_RATE as AT_RATE
        from sms.providers.africastalking import AfricasTalkingProvider

        if not (settings.at_username and settings.at_api_key):
            raise ProviderNotConfigured("africastalking needs AT_USERNAME and AT_API_KEY")
        return AfricasTalkingProvider(
            settings.at_username,
            settings.at_api_key,
            settings.at_sender_id,
            base_url=os.environ.get("KINGA_AT_API_URL") or None,
            rate_per_second=_rate(AT_RATE),
        )
    raise ProviderNotConfigured(f"unknown SMS provider {settings.sms_provider!r}")
