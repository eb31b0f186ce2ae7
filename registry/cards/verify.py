"""Checks a card QR with nothing but the public keys and the revocation list.

The same steps, in the same order and with the same reason codes, run in the browser
(`webapp/static/js/cards/verifier.js`); the conformance vectors in `tests/cards/vectors/`
hold both to it.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.cards.payload import (
    ALG_EDDSA,
    CLAIM_EXP,
    CLAIM_IAT,
    CLAIM_NBF,
    COSE_SIGN1_TAG,
    HEADER_ALG,
    HEADER_KID,
    OPTIONAL_CLAIMS,
    PREFIX,
    REQUIRED_CLAIMS,
    CardClaims,
    sig_structure,
)
from registry.numbers import CARD_NUMBER_LENGTH, is_valid

# A version-12 QR at level Q holds 296 alphanumeric characters; anything longer is not ours.
MAX_PAYLOAD_CHARS = 296
# Phones in the field keep poor time: a card issued "a little in the future" still verifies.
CLOCK_SKEW = timedelta(minutes=10)


class Reason:
    OK = "ok"
    BAD_PREFIX = "bad_prefix"
    OVERSIZED = "oversized"
    BAD_BASE45 = "bad_base45"
    BAD_COSE = "bad_cose"
    UNSUPPORTED_ALG = "unsupported_alg"
    UNKNOWN_KID = "unknown_kid"
    BAD_SIGNATURE = "bad_signature"
    BAD_CLAIMS = "bad_claims"
    BAD_NUMBER = "bad_number"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN_CARD = "unknown_card"


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str
    claims: CardClaims | None = None
    kid: str | None = None


class _Refused(Exception):
    def __init__(self, reason: str, kid: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kid = kid


def verify_qr(
    text: str,
    public_keys: Mapping[str, Ed25519PublicKey],
    revoked: Collection[str],
    now: datetime,
) -> Verdict:
    try:
        kid, claims = _check_signed(text, public_keys)
    except _Refused as refused:
        return Verdict(False, refused.reason, kid=refused.kid)
    return _check_claims(claims, kid, revoked, now)


def _check_signed(
    text: str, public_keys: Mapping[str, Ed25519PublicKey]
) -> tuple[str, dict[object, object]]:
    if not text.startswith(PREFIX):
        raise _Refused(Reason.BAD_PREFIX)
    if len(text) > MAX_PAYLOAD_CHARS:
        raise _Refused(Reason.OVERSIZED)
    try:
        raw = base45.b45decode(text[len(PREFIX) :])
    except (ValueError, KeyError, TypeError):
        raise _Refused(Reason.BAD_BASE45) from None
    protected, payload, signature = _cose_parts(raw)
    header = _decode_map(protected, Reason.BAD_COSE)
    if header.get(HEADER_ALG) != ALG_EDDSA:
        raise _Refused(Reason.UNSUPPORTED_ALG)
    kid_bytes = header.get(HEADER_KID)
    if not isinstance(kid_bytes, bytes):
        raise _Refused(Reason.BAD_COSE)
    kid = kid_bytes.decode("ascii", errors="replace")
    key = public_keys.get(kid)
    if key is None:
        raise _Refused(Reason.UNKNOWN_KID, kid)
    try:
        key.verify(signature, sig_structure(protected, payload))
    except InvalidSignature:
        raise _Refused(Reason.BAD_SIGNATURE, kid) from None
    return kid, _decode_map(payload, Reason.BAD_CLAIMS, kid)


def _strict_loads(data: bytes) -> object:
    """One CBOR item and nothing after it (cbor2.loads ignores trailing bytes)."""
    stream = io.BytesIO(data)
    value = cbor2.CBORDecoder(stream).decode()
    if stream.read(1):
        raise ValueError("trailing bytes after the CBOR item")
    return value


def _cose_parts(raw: bytes) -> tuple[bytes, bytes, bytes]:
    try:
        message = _strict_loads(raw)
    except Exception:  # cbor2 raises several types on malformed input
        raise _Refused(Reason.BAD_COSE) from None
    if isinstance(message, cbor2.CBORTag):
        if message.tag != COSE_SIGN1_TAG:
            raise _Refused(Reason.BAD_COSE)
        message = message.value
    if not (isinstance(message, list | tuple) and len(message) == 4):
        raise _Refused(Reason.BAD_COSE)
    protected, unprotected, payload, signature = message
    if not (
        isinstance(protected, bytes)
        and isinstance(unprotected, Mapping)
        and isinstance(payload, bytes)
        and isinstance(signature, bytes)
        and len(signature) == 64
    ):
        raise _Refused(Reason.BAD_COSE)
    return protected, payload, signature


def _decode_map(data: bytes, reason: str, kid: str | None = None) -> dict[object, object]:
    try:
        value = _strict_loads(data)
    except Exception:
        raise _Refused(reason, kid) from None
    if not isinstance(value, Mapping):
        raise _Refused(reason, kid)
    return dict(value)


def _claims_well_formed(claims: dict[object, object]) -> bool:
    keys = set(claims)
    if not REQUIRED_CLAIMS <= keys or keys - REQUIRED_CLAIMS - OPTIONAL_CLAIMS:
        return False
    text_claims = (claims[2], claims["cn"], claims["ar"])
    if not all(isinstance(value, str) for value in text_claims):
        return False
    programs = claims["pg"]
    if not isinstance(programs, list | tuple) or not all(isinstance(p, str) for p in programs):
        return False
    times = [claims[CLAIM_IAT], claims[CLAIM_EXP], claims.get(CLAIM_NBF, 0)]
    # Integers a browser holds exactly (2**53), so both verifiers read the same times.
    if not all(isinstance(t, int) and not isinstance(t, bool) and abs(t) <= 2**53 for t in times):
        return False
    if "in" in claims and not isinstance(claims["in"], str):
        return False
    return "by" not in claims or (isinstance(claims["by"], int) and 1900 <= claims["by"] <= 2200)


def _check_claims(
    raw_claims: dict[object, object], kid: str, revoked: Collection[str], now: datetime
) -> Verdict:
    if not _claims_well_formed(raw_claims):
        return Verdict(False, Reason.BAD_CLAIMS, kid=kid)
    claims = CardClaims.from_cbor_map(raw_claims)
    if not is_valid(claims.card_number, CARD_NUMBER_LENGTH) or not claims.card_number.isdigit():
        return Verdict(False, Reason.BAD_NUMBER, claims, kid)
    now_ts = int(now.timestamp())
    skew = int(CLOCK_SKEW.total_seconds())
    not_before = max(int(raw_claims[CLAIM_IAT]), int(raw_claims.get(CLAIM_NBF, 0)))  # type: ignore[call-overload]
    if not_before > now_ts + skew:
        return Verdict(False, Reason.NOT_YET_VALID, claims, kid)
    if int(raw_claims[CLAIM_EXP]) <= now_ts:  # type: ignore[call-overload]
        return Verdict(False, Reason.EXPIRED, claims, kid)
    if claims.card_number in revoked:
        return Verdict(False, Reason.REVOKED, claims, kid)
    return Verdict(True, Reason.OK, claims, kid)
