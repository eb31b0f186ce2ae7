"""The revocation list as verifiers download it: a JWS (EdDSA) over the list, with a version.

    {"version": 7, "issued_at": "...", "revoked": ["1234...", ...], "kid": "...",
     "jws": "<header>.<payload>.<signature>"}

Only the JWS payload counts: a verifier checks the signature with the published key `kid`
and reads version and numbers from the payload; the plain fields are a convenience copy.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy.orm import Session

from registry.cards.keys import Keyring, b64url
from registry.cards.service import revocation_list
from registry.db import utcnow


def signed_revocation_list(session: Session, keyring: Keyring) -> dict[str, Any]:
    listing = revocation_list(session)
    key = keyring.ensure_signing_key()
    body = {
        "version": listing.version,
        "issued_at": utcnow().replace(microsecond=0).isoformat(),
        "revoked": listing.numbers,
    }
    header = b64url(json.dumps({"alg": "EdDSA", "kid": key.kid}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(body, separators=(",", ":")).encode())
    signature = b64url(key.sign(f"{header}.{payload}".encode()))
    return {**body, "kid": key.kid, "jws": f"{header}.{payload}.{signature}"}


def read_revocation_list(document: dict[str, Any], keyring: Keyring) -> dict[str, Any] | None:
    """The verified payload of a downloaded list, or None when its signature does not hold."""
    try:
        header_b64, payload_b64, signature_b64 = str(document["jws"]).split(".")
        header = json.loads(_unb64(header_b64))
        key = keyring.public_keys()[header["kid"]]
        if header.get("alg") != "EdDSA":
            return None
        key.verify(_unb64(signature_b64), f"{header_b64}.{payload_b64}".encode())
        return json.loads(_unb64(payload_b64))
    except Exception:  # any malformed or forged list is simply not trusted
        return None


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
