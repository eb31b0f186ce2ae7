"""Twilio through its official client; each message asks for delivery reports."""

from __future__ import annotations

import threading

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from sms.providers.base import PermanentFailure, SendResult, TemporaryFailure

TIMEOUT_SECONDS = 10.0
# Twilio's own default account limit is about one message per second per long code; a
# messaging service or short code allows more: set KINGA_SMS_RATE to what the account has.
DEFAULT_RATE = 10.0


class TwilioProvider:
    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_: str,
        status_callback: str,
        *,
        base_url: str | None = None,
        rate_per_second: float = DEFAULT_RATE,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_ = from_
        self.status_callback = status_callback
        self.base_url = base_url
        self.rate_per_second = rate_per_second
        self.timeout = timeout
        self._local = threading.local()  # one client (and connection pool) per sending thread

    def _client(self) -> Client:
        client = getattr(self._local, "client", None)
        if client is None:
            client = Client(
                self.account_sid,
                self.auth_token,
                http_client=TwilioHttpClient(timeout=self.timeout),
            )
            if self.base_url:  # tests and benchmarks point the client at a local fake API
                client.api.base_url = self.base_url
            self._local.client = client
        return client

    def send(self, to: str, body: str) -> SendResult:
        try:
            message = self._client().messages.create(
                to=to, from_=self.from_, body=body, status_callback=self.status_callback
            )
        except TwilioRestException as exc:
            reason = f"twilio {exc.status} {exc.code}: {exc.msg}"
            # 429, 5xx and credential problems may pass; a refused number will not.
            if exc.status >= 500 or exc.status in (401, 403, 429):
                raise TemporaryFailure(reason) from exc
            raise PermanentFailure(reason) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise TemporaryFailure(f"twilio unreachable: {type(exc).__name__}") from exc
        if not message.sid:
            raise TemporaryFailure("twilio answered without a message sid")
        return SendResult(provider_message_id=message.sid)
