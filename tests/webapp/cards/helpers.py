from __future__ import annotations

import base64
import re

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.users.roles import Role
from tests.factories import make_user, region


def card_manager(db_session: Session, region_index: int = 0, username: str = "issuer"):  # type: ignore[no-untyped-def]
    user = make_user(
        db_session,
        {Role.PROGRAM_MANAGER},
        [region(db_session, region_index).code],
        username=username,
    )
    db_session.commit()
    return user


def field_worker(db_session: Session, region_index: int = 0, username: str = "checker"):  # type: ignore[no-untyped-def]
    user = make_user(
        db_session, {Role.FIELD_WORKER}, [region(db_session, region_index).code], username=username
    )
    db_session.commit()
    return user


def page_csrf(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match
    return match.group(1)


def verify_with_jwks_only(text: str, jwks: dict) -> dict:
    """An outside verifier: base45, cbor2, cryptography and the published keys; no Kinga code."""
    assert text.startswith("KG1:")
    message = cbor2.loads(base45.b45decode(text[4:]))
    protected, _unprotected, payload, signature = message.value
    kid = cbor2.loads(protected)[4].decode()
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    assert cbor2.loads(protected)[1] == -8 and jwk["crv"] == "Ed25519"
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=="))
    key.verify(signature, cbor2.dumps(["Signature1", protected, b"", payload]))  # raises if forged
    return cbor2.loads(payload)
