"""The real twilio and africastalking clients, sending to a local fake of each API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sms.providers.africastalking import AfricasTalkingProvider
from sms.providers.base import PermanentFailure, TemporaryFailure
from sms.providers.twilio import TwilioProvider
from tests.sms.fake_gateway import FakeGateway

PHONE = "+254712345678"


@pytest.fixture()
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as fake:
        yield fake


def twilio(gateway: FakeGateway, timeout: float = 5.0) -> TwilioProvider:
    return TwilioProvider(
        "AC" + "1" * 32,
        "auth-token",
        "+15005550006",
        status_callback="https://kinga.example/sms/twilio/status",
        base_url=gateway.url,
        timeout=timeout,
    )


def africastalking(gateway: FakeGateway, read_timeout: float = 5.0) -> AfricasTalkingProvider:
    return AfricasTalkingProvider(
        "sandbox", "api-key", "KINGA", base_url=gateway.url, timeout=(1.0, read_timeout)
    )


def test_twilio_sends_with_status_callback(gateway: FakeGateway) -> None:
    result = twilio(gateway).send(PHONE, "Habari")
    assert result.provider_message_id.startswith("SM")
    sent = gateway.requests[-1]
    assert sent["_path"] == f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
    assert sent["To"] == PHONE and sent["Body"] == "Habari" and sent["From"] == "+15005550006"
    assert sent["StatusCallback"] == "https://kinga.example/sms/twilio/status"
    assert sent["_auth"].startswith("Basic ")


def test_twilio_server_error_is_temporary(gateway: FakeGateway) -> None:
    gateway.mode = "server_error"
    with pytest.raises(TemporaryFailure, match="503"):
        twilio(gateway).send(PHONE, "x")


def test_twilio_invalid_number_is_permanent(gateway: FakeGateway) -> None:
    gateway.mode = "refuse"
    with pytest.raises(PermanentFailure, match="21211"):
        twilio(gateway).send(PHONE, "x")


def test_twilio_timeout_is_temporary(gateway: FakeGateway) -> None:
    gateway.mode, gateway.slow_seconds = "slow", 1.0
    with pytest.raises(TemporaryFailure, match="unreachable"):
        twilio(gateway, timeout=0.2).send(PHONE, "x")


def test_twilio_unreachable_is_temporary() -> None:
    with FakeGateway() as fake:
        url = fake.url
    provider = twilio(fake)
    provider.base_url = url  # the server is gone: connection refused
    with pytest.raises(TemporaryFailure):
        provider.send(PHONE, "x")


def test_africastalking_sends_and_reads_the_recipient(gateway: FakeGateway) -> None:
    result = africastalking(gateway).send(PHONE, "Habari")
    assert result.provider_message_id.startswith("ATXid_")
    sent = gateway.requests[-1]
    assert sent["_path"] == "/version1/messaging"
    assert sent["to"] == PHONE and sent["message"] == "Habari" and sent["from"] == "KINGA"
    assert sent["username"] == "sandbox" and sent["_apikey"] == "api-key"


def test_africastalking_refused_recipient_in_a_2xx_answer_is_permanent(
    gateway: FakeGateway,
) -> None:
    gateway.mode = "recipient_error"
    with pytest.raises(PermanentFailure, match="403 InvalidPhoneNumber"):
        africastalking(gateway).send(PHONE, "x")


def test_africastalking_insufficient_balance_is_temporary(gateway: FakeGateway) -> None:
    gateway.mode = "temporary_recipient_error"
    with pytest.raises(TemporaryFailure, match="405"):
        africastalking(gateway).send(PHONE, "x")


def test_africastalking_server_error_is_temporary(gateway: FakeGateway) -> None:
    gateway.mode = "server_error"
    with pytest.raises(TemporaryFailure, match="refused"):
        africastalking(gateway).send(PHONE, "x")


def test_africastalking_timeout_is_temporary(gateway: FakeGateway) -> None:
    gateway.mode, gateway.slow_seconds = "slow", 1.0
    with pytest.raises(TemporaryFailure, match="unreachable"):
        africastalking(gateway, read_timeout=0.2).send(PHONE, "x")


def test_africastalking_malformed_number_is_permanent(gateway: FakeGateway) -> None:
    with pytest.raises(PermanentFailure):
        africastalking(gateway).send("0712", "x")
    assert gateway.requests == []
