"""SMS door fixtures: Twilio credentials, and helpers that send signed gateway requests."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from registry.settings import Settings
from sms.providers.memory import MemoryProvider

TWILIO_TOKEN = "twilio-test-auth-token"
PHONE = "+254712345678"


@pytest.fixture()
def settings(settings: Settings) -> Settings:
    return replace(
        settings,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from="+15005550006",
    )


@pytest.fixture(autouse=True)
def _empty_memory_provider() -> None:
    MemoryProvider.sent.clear()


class SmsActions:
    """Sends SMS into the app the way each gateway would (the `sms_send()` helper)."""

    def __init__(self, client: FlaskClient, public_url: str = "http://localhost") -> None:
        self.client = client
        self.public_url = public_url
        self._n = 0

    def next_id(self) -> str:
        self._n += 1
        return f"SM{self._n:032d}"

    def twilio(
        self,
        body: str,
        phone: str = PHONE,
        *,
        sid: str | None = None,
        path: str = "/sms/twilio",
        signed_url: str | None = None,
        token: str = TWILIO_TOKEN,
        extra: dict[str, str] | None = None,
    ) -> TestResponse:
        params = {"MessageSid": sid or self.next_id(), "From": phone, "To": "+15005550006"}
        params["Body"] = body
        params.update(extra or {})
        url = signed_url or self.public_url + path
        signature = RequestValidator(token).compute_signature(url, params)
        return self.client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    def twilio_status(self, sid: str, status: str, **extra: str) -> TestResponse:
        params = {"MessageSid": sid, "MessageStatus": status, **extra}
        url = self.public_url + "/sms/twilio/status"
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
        return self.client.post(
            "/sms/twilio/status", data=params, headers={"X-Twilio-Signature": signature}
        )

    def africastalking(
        self, body: str, phone: str = PHONE, *, message_id: str | None = None, token: str = ""
    ) -> TestResponse:
        token = token or "test-at-token"
        data = {
            "from": phone,
            "to": "20880",
            "text": body,
            "id": message_id or self.next_id(),
            "date": "2026-11-27 10:00:00",
            "linkId": "link",
        }
        return self.client.post(f"/sms/africastalking/{token}/inbound", data=data)


@pytest.fixture()
def sms(client: FlaskClient) -> SmsActions:
    return SmsActions(client)


def twiml_text(response: TestResponse) -> str:
    """The text of the TwiML reply ('' when it says nothing)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(response.get_data(as_text=True))  # noqa: S314 - our own answer
    return " ".join(m.text or "" for m in root.iter("Message"))
