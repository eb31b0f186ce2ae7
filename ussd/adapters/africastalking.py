"""Africa's Talking: form-encoded callbacks in, `text/plain` `CON `/`END ` replies out.

Every field is checked before anything else reads it: identifiers within a length, numbers as
ASCII digits of bounded length, and at most `MAX_INPUTS` answers of at most `MAX_INPUT_LENGTH`
characters each (a real session never carries more than about 60; a forged one must not cost
seconds of work). A request that breaks a rule is refused whole, never cut short.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ussd.adapters.base import UssdEnd, UssdReply, UssdRequest

NAME = "africastalking"
CONTENT_TYPE = "text/plain; charset=utf-8"
PREFIX_CONTINUE = "CON "
PREFIX_END = "END "
MAX_INPUTS = 60
MAX_INPUT_LENGTH = 80
MAX_ID_LENGTH = 100
_PHONE = re.compile(r"\+?[0-9]{3,20}")
_DIGITS = re.compile(r"[0-9]{1,9}")
_CODE = re.compile(r"[0-9*#+]{1,40}")


def _field(form: Mapping[str, str], name: str, limit: int) -> str | None:
    value = (form.get(name) or "").strip()
    return value if len(value) <= limit else None


def _optional_digits(value: str) -> bool:
    return not value or bool(_DIGITS.fullmatch(value))


def text_within_limits(text: str) -> bool:
    inputs = text.split("*")
    # A first request may carry the dialed shortcut around the inputs ("*384*123*2#").
    return len(inputs) <= MAX_INPUTS + 4 and all(len(part) <= MAX_INPUT_LENGTH for part in inputs)


def parse_request(
    form: Mapping[str, str], args: Mapping[str, str] | None = None
) -> UssdRequest | None:
    """The request, or None when a field is missing or out of bounds. `args` are the callback
    URL's query parameters: `input=latest` for gateways that send only the latest input."""
    session_id = _field(form, "sessionId", MAX_ID_LENGTH)
    phone = _field(form, "phoneNumber", 21)
    service_code = _field(form, "serviceCode", 40)
    network_code = _field(form, "networkCode", 9)
    text = form.get("text") or ""
    if not session_id or not phone or not _PHONE.fullmatch(phone):
        return None
    if service_code is None or (service_code and not _CODE.fullmatch(service_code)):
        return None
    if network_code is None or not _optional_digits(network_code):
        return None
    if not text_within_limits(text):
        return None
    return UssdRequest(
        gateway=NAME,
        session_id=session_id,
        phone=phone,
        service_code=service_code,
        network_code=network_code or None,
        text=text,
        latest_only=(args or {}).get("input") == "latest",
    )


def render_reply(reply: UssdReply) -> str:
    return (PREFIX_END if reply.end else PREFIX_CONTINUE) + reply.text


def parse_end(form: Mapping[str, str]) -> UssdEnd | None:
    """The end-of-session notification (`status`: Success, Incomplete or Failed), or None when
    a field is out of bounds (e.g. a duration that is not 1 to 9 ASCII digits)."""
    session_id = _field(form, "sessionId", MAX_ID_LENGTH)
    duration = _field(form, "durationInMillis", 9) if "durationInMillis" in form else None
    if duration is None and "durationInMillis" not in form:
        duration = _field(form, "duration", 9)
    phone = _field(form, "phoneNumber", 21)
    status = _field(form, "status", 20)
    error = _field(form, "errorMessage", 200)
    service_code = _field(form, "serviceCode", 40)
    network_code = _field(form, "networkCode", 9)
    if not session_id or duration is None or not _optional_digits(duration):
        return None
    if phone is None or (phone and not _PHONE.fullmatch(phone)):
        return None
    if None in (status, error, service_code, network_code) or not _optional_digits(
        network_code or ""
    ):
        return None
    return UssdEnd(
        gateway=NAME,
        session_id=session_id,
        phone=phone or None,
        status=status or "Incomplete",
        duration_ms=int(duration) if duration else None,
        error=error or None,
        service_code=service_code or None,
        network_code=network_code or None,
    )
