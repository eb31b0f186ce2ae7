"""Africa's Talking: form-encoded callbacks in, `text/plain` `CON `/`END ` replies out."""

from __future__ import annotations

from collections.abc import Mapping

from ussd.adapters.base import UssdEnd, UssdReply, UssdRequest

NAME = "africastalking"
CONTENT_TYPE = "text/plain; charset=utf-8"
PREFIX_CONTINUE = "CON "
PREFIX_END = "END "


def parse_request(
    form: Mapping[str, str], args: Mapping[str, str] | None = None
) -> UssdRequest | None:
    """The request, or None when a required field is missing. `args` are the callback URL's
    query parameters: `input=latest` for gateways that send only the latest input."""
    session_id = (form.get("sessionId") or "").strip()
    phone = (form.get("phoneNumber") or "").strip()
    if not session_id or not phone or len(session_id) > 100:
        return None
    return UssdRequest(
        gateway=NAME,
        session_id=session_id,
        phone=phone,
        service_code=(form.get("serviceCode") or "").strip(),
        network_code=(form.get("networkCode") or "").strip() or None,
        text=(form.get("text") or "")[:500],
        latest_only=(args or {}).get("input") == "latest",
    )


def render_reply(reply: UssdReply) -> str:
    return (PREFIX_END if reply.end else PREFIX_CONTINUE) + reply.text


def parse_end(form: Mapping[str, str]) -> UssdEnd | None:
    """The end-of-session notification (`status`: Success, Incomplete or Failed)."""
    session_id = (form.get("sessionId") or "").strip()
    if not session_id or len(session_id) > 100:
        return None
    duration = (form.get("durationInMillis") or form.get("duration") or "").strip()
    return UssdEnd(
        gateway=NAME,
        session_id=session_id,
        phone=(form.get("phoneNumber") or "").strip() or None,
        status=(form.get("status") or "").strip() or "Incomplete",
        duration_ms=int(duration) if duration.isdigit() else None,
        error=(form.get("errorMessage") or "").strip() or None,
        service_code=(form.get("serviceCode") or "").strip() or None,
        network_code=(form.get("networkCode") or "").strip() or None,
    )
