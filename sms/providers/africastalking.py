"""Africa's Talking through its official SDK, with a timeout and a check of each recipient.

A 2xx answer is not a success by itself: the SDK returns one entry per recipient, each with its
own status code (101 Sent, 102 Queued... or 403 InvalidPhoneNumber, 406 UserInBlacklist...).
"""

from __future__ import annotations

import json
from typing import Any

import requests
from africastalking.Service import AfricasTalkingException
from africastalking.SMS import SMSService

from sms.providers.base import PermanentFailure, SendResult, TemporaryFailure

TIMEOUT = (3.05, 10.0)  # connect, read (seconds)
DEFAULT_RATE = 50.0
ACCEPTED = {100, 101, 102}  # Processed, Sent, Queued
# Worth a retry: RiskHold, InsufficientBalance, InternalServerError, GatewayError.
TEMPORARY = {401, 405, 500, 501}


class AfricasTalkingProvider:
    name = "africastalking"

    def __init__(
        self,
        username: str,
        api_key: str,
        sender_id: str | None = None,
        *,
        base_url: str | None = None,
        rate_per_second: float = DEFAULT_RATE,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        self.sender_id = sender_id
        self.rate_per_second = rate_per_second
        self.timeout = timeout
        self.service = SMSService(username, api_key)
        if base_url:  # tests and benchmarks point the SDK at a local fake API
            self.service._baseUrl = base_url.rstrip("/") + "/version1"

    def send(self, to: str, body: str) -> SendResult:
        try:
            answer = self.service.send(body, [to], sender_id=self.sender_id, timeout=self.timeout)
        except ValueError as exc:  # the SDK refuses a malformed number before any request
            raise PermanentFailure(f"africastalking: {exc}") from exc
        except AfricasTalkingException as exc:  # a non-2xx answer
            raise TemporaryFailure(f"africastalking refused: {str(exc)[:200]}") from exc
        except requests.RequestException as exc:
            raise TemporaryFailure(f"africastalking unreachable: {type(exc).__name__}") from exc
        return _recipient_result(answer, to)


def _recipient_result(answer: Any, to: str) -> SendResult:
    if isinstance(answer, str):
        try:
            answer = json.loads(answer)
        except ValueError as exc:
            raise TemporaryFailure("africastalking answered without JSON") from exc
    try:
        recipients = answer["SMSMessageData"]["Recipients"]
    except (KeyError, TypeError) as exc:
        raise TemporaryFailure("africastalking answer has no recipients") from exc
    mine = [r for r in recipients if r.get("number") == to] or recipients[:1]
    if not mine:
        message = str(answer["SMSMessageData"].get("Message", ""))[:200]
        raise PermanentFailure(f"africastalking accepted no recipient: {message}")
    recipient = mine[0]
    code = int(recipient.get("statusCode", 0))
    reason = f"africastalking {code} {recipient.get('status', '')}".strip()
    if code in ACCEPTED and recipient.get("messageId"):
        return SendResult(provider_message_id=str(recipient["messageId"]))
    if code in TEMPORARY:
        raise TemporaryFailure(reason)
    raise PermanentFailure(reason)
