"""Signing and checking DCI messages (the `signature` beside `header` and `message`).

The signature string follows the DCI form:
  Signature: namespace="dci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519",
  created="{unix}", expires="{unix}", headers="(created) (expires) digest", signature="{b64}"
The signed text is
  "(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={b64 digest}"
where the digest is BLAKE2b-512 of the canonical JSON (sorted keys, no spaces, UTF-8) of
{"header": ..., "message": ...}. Keys are Ed25519; Kinga's are published as JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.cards.keys import Keyring, SigningKey
from registry.settings import instance_dir

MAX_VALIDITY = 3600  # seconds a signature may claim to be valid for
CLOCK_SKEW = 300
_FIELD_RE = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(Exception):
    """The signature is missing, malformed, expired, or does not match."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # err.signature.missing | err.signature.invalid


def api_keyring() -> Keyring:
    """Kinga's message signing keys: their own directory, apart from the card keys."""
    configured = os.environ.get("KINGA_API_KEYS_DIR")
    return Keyring(Path(configured) if configured else instance_dir() / "api-keys")


def canonical(header: dict[str, Any], message: Any) -> bytes:
    document = {"header": header, "message": message}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _signing_text(created: int, expires: int, body: bytes) -> bytes:
    digest = base64.b64encode(hashlib.blake2b(body, digest_size=64).digest()).decode()
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}".encode()


def sign(
    key: SigningKey, sender_id: str, header: dict[str, Any], message: Any, *, now: int | None = None
) -> str:
    created = int(now if now is not None else time.time())
    expires = created + MAX_VALIDITY
    raw = key.sign(_signing_text(created, expires, canonical(header, message)))
    value = base64.b64encode(raw).decode()
    return (
        f'Signature: namespace="dci", kidId="{sender_id}|{key.kid}|ed25519", '
        f'algorithm="ed25519", created="{created}", expires="{expires}", '
        f'headers="(created) (expires) digest", signature="{value}"'
    )


@dataclass(frozen=True)
class ParsedSignature:
    sender_id: str
    key_id: str
    created: int
    expires: int
    value: bytes


def parse(signature: str | None) -> ParsedSignature:
    if not signature or not isinstance(signature, str):
        raise SignatureError("err.signature.missing", "the message carries no signature")
    fields = dict(_FIELD_RE.findall(signature))
    try:
        sender_id, key_id, algorithm = fields["kidId"].split("|")
        created, expires = int(fields["created"]), int(fields["expires"])
        value = base64.b64decode(fields["signature"], validate=True)
    except (KeyError, ValueError) as exc:
        raise SignatureError("err.signature.invalid", "the signature cannot be read") from exc
    if algorithm.lower() != "ed25519" or fields.get("algorithm", "ed25519").lower() != "ed25519":
        raise SignatureError("err.signature.invalid", "only ed25519 signatures are accepted")
    return ParsedSignature(sender_id, key_id, created, expires, value)


def public_key_from_x(x: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))


def key_id_of_x(x: str) -> str:
    """The key id a partner's key goes by: the same rule as Kinga's own keys."""
    from registry.cards.keys import key_id

    return key_id(public_key_from_x(x))


def verify(
    signature: str | None,
    header: dict[str, Any],
    message: Any,
    *,
    sender_id: str,
    public_key_x: str | None,
    now: int | None = None,
) -> ParsedSignature:
    """Checks a partner's signature against the key registered in its agreement."""
    parsed = parse(signature)
    if public_key_x is None:
        raise SignatureError("err.signature.invalid", "no public key is registered for this client")
    if parsed.sender_id != sender_id:
        raise SignatureError("err.sender_id.invalid", "the signature names another sender")
    if parsed.key_id != key_id_of_x(public_key_x):
        raise SignatureError("err.signature.invalid", "the signature names an unknown key")
    moment = int(now if now is not None else time.time())
    if parsed.created > moment + CLOCK_SKEW or parsed.expires < moment:
        raise SignatureError("err.signature.invalid", "the signature is not valid at this time")
    if parsed.expires - parsed.created > MAX_VALIDITY:
        raise SignatureError("err.signature.invalid", "the signature claims too long a validity")
    text = _signing_text(parsed.created, parsed.expires, canonical(header, message))
    try:
        public_key_from_x(public_key_x).verify(parsed.value, text)
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError("err.signature.invalid", "the signature does not match") from exc
    return parsed


def verify_with_jwks(
    signature: str, header: dict[str, Any], message: Any, jwks: dict[str, Any]
) -> ParsedSignature:
    """What a partner does with Kinga's messages: find the key by id in the JWKS and check."""
    parsed = parse(signature)
    for jwk in jwks.get("keys", []):
        if jwk.get("kid") == parsed.key_id:
            text = _signing_text(parsed.created, parsed.expires, canonical(header, message))
            try:
                public_key_from_x(jwk["x"]).verify(parsed.value, text)
            except InvalidSignature as exc:
                raise SignatureError("err.signature.invalid", "no match") from exc
            return parsed
    raise SignatureError("err.signature.invalid", "unknown key id")
