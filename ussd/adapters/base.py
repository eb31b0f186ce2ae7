"""What every USSD gateway adapter produces and consumes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UssdRequest:
    gateway: str
    session_id: str
    phone: str
    service_code: str
    network_code: str | None
    text: str  # as the gateway sent it: accumulated, latest-only, or with the dialed shortcut
    latest_only: bool = False  # configured on the callback URL for gateways known to do so


@dataclass(frozen=True)
class UssdReply:
    text: str
    end: bool


@dataclass(frozen=True)
class UssdEnd:
    """The gateway's end-of-session report."""

    gateway: str
    session_id: str
    phone: str | None
    status: str
    duration_ms: int | None
    error: str | None
    service_code: str | None
    network_code: str | None
