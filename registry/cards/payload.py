"""The card QR payload: `KG1:` + base45(COSE_Sign1) over CBOR claims, signed with Ed25519.

Claims use CWT labels where one exists (2 sub = holder pseudonym, 4 exp, 6 iat) and short
text labels for the rest, so any COSE/CBOR library can read them:

    {2: holder_ref, 4: exp, 6: iat, "cn": card number, "ar": area code,
     "pg": [program codes], "in": initials (optional), "by": birth year (optional)}

Never a national ID, a phone number or a full name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import base45
import cbor2

from registry.cards.keys import SigningKey

PREFIX = "KG1:"
ALG_EDDSA = -8
HEADER_ALG = 1
HEADER_KID = 4
COSE_SIGN1_TAG = 18
CLAIM_SUB, CLAIM_EXP, CLAIM_NBF, CLAIM_IAT = 2, 4, 5, 6
REQUIRED_CLAIMS = frozenset({CLAIM_SUB, CLAIM_EXP, CLAIM_IAT, "cn", "ar", "pg"})
OPTIONAL_CLAIMS = frozenset({"in", "by", CLAIM_NBF})


@dataclass(frozen=True)
class CardClaims:
    card_number: str
    holder_ref: str
    area_code: str
    programs: tuple[str, ...]
    issued_at: datetime
    expires_at: datetime
    initials: str | None = None
    birth_year: int | None = None
    extra: dict[object, object] = field(default_factory=dict)

    def to_cbor_map(self) -> dict[object, object]:
        claims: dict[object, object] = {
            CLAIM_SUB: self.holder_ref,
            CLAIM_EXP: int(self.expires_at.timestamp()),
            CLAIM_IAT: int(self.issued_at.timestamp()),
            "cn": self.card_number,
            "ar": self.area_code,
            "pg": list(self.programs),
        }
        if self.initials:
            claims["in"] = self.initials
        if self.birth_year:
            claims["by"] = self.birth_year
        claims.update(self.extra)
        return claims

    @classmethod
    def from_cbor_map(cls, claims: dict[object, object]) -> CardClaims:
        return cls(
            card_number=str(claims["cn"]),
            holder_ref=str(claims[CLAIM_SUB]),
            area_code=str(claims["ar"]),
            programs=tuple(str(code) for code in claims["pg"]),  # type: ignore[attr-defined]
            issued_at=datetime.fromtimestamp(int(claims[CLAIM_IAT]), UTC),  # type: ignore[call-overload]
            expires_at=datetime.fromtimestamp(int(claims[CLAIM_EXP]), UTC),  # type: ignore[call-overload]
            initials=claims.get("in"),  # type: ignore[arg-type]
            birth_year=claims.get("by"),  # type: ignore[arg-type]
        )


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes Ed25519 signs (RFC 9052 section 4.4), with no external data."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign_claims(
    claims: CardClaims,
    key: SigningKey,
    *,
    alg: int = ALG_EDDSA,
    tagged: bool = True,
) -> str:
    protected = cbor2.dumps({HEADER_ALG: alg, HEADER_KID: key.kid.encode()})
    payload = cbor2.dumps(claims.to_cbor_map())
    signature = key.sign(sig_structure(protected, payload))
    message: object = [protected, {}, payload, signature]
    if tagged:
        message = cbor2.CBORTag(COSE_SIGN1_TAG, message)
    return encode_cose(cbor2.dumps(message))


def encode_cose(cose: bytes) -> str:
    return PREFIX + base45.b45encode(cose).decode("ascii")


def read_claims(text: str) -> CardClaims:
    """The claims of one of our own stored payloads, without checking the signature."""
    message = cbor2.loads(base45.b45decode(text[len(PREFIX) :]))
    if isinstance(message, cbor2.CBORTag):
        message = message.value
    return CardClaims.from_cbor_map(cbor2.loads(message[2]))
