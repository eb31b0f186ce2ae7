"""The DCI envelope (signature, header, message): checking what comes in, building what goes out."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.db import utcnow
from registry.partners import signing
from registry.partners.models import PartnerClient

VERSION = "1.0.0"
MAX_BATCH = 10


def kinga_sender_id() -> str:
    """How Kinga names itself in DCI headers (`sender_id` of what it sends)."""
    return os.environ.get("KINGA_DCI_SENDER_ID", "kinga")


class EnvelopeError(Exception):
    """A message refused before its content is looked at; `code` is a DCI Error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Incoming:
    header: dict[str, Any]
    message: dict[str, Any]
    signature: str | None


def timestamp(moment: datetime | None = None) -> str:
    return (moment or utcnow()).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def open_envelope(body: Any, client: PartnerClient, action: str) -> Incoming:
    """Checks shape, action, sender and the partner's signature; returns the parts."""
    if not isinstance(body, dict):
        raise EnvelopeError("err.request.bad", "the body is a JSON object")
    header, message = body.get("header"), body.get("message")
    if not isinstance(header, dict) or not isinstance(message, dict):
        raise EnvelopeError("err.request.bad", "header and message are objects")
    if header.get("is_msg_encrypted") is True:
        raise EnvelopeError("err.encryption.invalid", "encrypted messages are not accepted")
    if str(header.get("version", VERSION)) != VERSION:
        raise EnvelopeError("err.version.not_supported", "version 1.0.0 only")
    if header.get("action") != action:
        raise EnvelopeError("err.request.bad", f"header.action must be {action}")
    message_id = header.get("message_id")
    if not isinstance(message_id, str) or not 0 < len(message_id) <= 100:
        raise EnvelopeError("err.request.bad", "header.message_id is a string of 1-100 chars")
    if header.get("sender_id") != client.client_id:
        raise EnvelopeError("err.sender_id.invalid", "header.sender_id is your client id")
    try:
        signing.verify(
            body.get("signature"),
            header,
            message,
            sender_id=client.client_id,
            public_key_x=client.public_key,
        )
    except signing.SignatureError as exc:
        raise EnvelopeError(exc.code, str(exc)) from exc
    return Incoming(header=header, message=message, signature=body.get("signature"))


def seal(
    action: str,
    message: dict[str, Any],
    *,
    receiver_id: str,
    status: str = "succ",
    total: int = 1,
    completed: int | None = None,
    message_id: str | None = None,
    reason: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A signed callback envelope (MsgCallbackHeader) from Kinga."""
    header: dict[str, Any] = {
        "version": VERSION,
        "message_id": message_id or str(uuid.uuid4()),
        "message_ts": timestamp(),
        "action": action,
        "status": status,
        "total_count": total,
        "completed_count": total if completed is None else completed,
        "sender_id": kinga_sender_id(),
        "receiver_id": receiver_id,
        "is_msg_encrypted": False,
    }
    if reason is not None:
        header["status_reason_code"], header["status_reason_message"] = reason
    key = signing.api_keyring().ensure_signing_key()
    return {
        "signature": signing.sign(key, kinga_sender_id(), header, message),
        "header": header,
        "message": message,
    }


def ack(
    correlation_id: str, *, status: str = "ACK", error: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The DCI acknowledgement (`Response`) of an async request or a refused message."""
    body: dict[str, Any] = {
        "ack_status": status,
        "timestamp": timestamp(),
        "correlation_id": correlation_id,
    }
    if error is not None:
        body["error"] = {"code": error[0], "message": error[1]}
    return {"message": body}
