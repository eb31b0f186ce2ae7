"""Writes the card conformance vectors in `vectors/` (run: python -m tests.cards.make_vectors).

Every vector is built from first principles with cbor2, base45 and cryptography, using fixed
test keys and a fixed clock, so the files are reproducible and the expected verdicts are
stated here, not computed by the verifier under test.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VECTORS = Path(__file__).resolve().parent / "vectors"
NOW = 1_800_000_000  # 2027-01-15T08:00:00Z
DAY = 86_400
REVOKED = ["900000000001"]


def _key(seed_text: str) -> tuple[Ed25519PrivateKey, str]:
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed_text.encode()).digest())
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:6]).decode()
    return private, kid


KEY_1, KID_1 = _key("kinga test key 1")
KEY_2, KID_2 = _key("kinga test key 2 (retired)")
ROGUE, _ = _key("not a kinga key")


def claims(**changes: object) -> dict[object, object]:
    base: dict[object, object] = {
        2: "K7QX2M9P",
        4: NOW + 365 * DAY,
        6: NOW - 30 * DAY,
        "cn": "123456789015",
        "ar": "KE-NBO-KIB-01",
        "pg": ["CT-OVC", "FOOD"],
        "in": "AO",
        "by": 1980,
    }
    for key, value in changes.items():
        label: object = int(key[1:]) if key.startswith("_") else key
        if value is None:
            base.pop(label, None)
        else:
            base[label] = value
    return base


def cose(
    payload_claims: object,
    *,
    key: Ed25519PrivateKey = KEY_1,
    kid: str | None = KID_1,
    alg: object = -8,
    tag: int | None = 18,
    mutate_signature: Callable[[bytes], bytes] | None = None,
    mutate_payload: Callable[[bytes], bytes] | None = None,
) -> bytes:
    header: dict[int, object] = {}
    if alg is not None:
        header[1] = alg
    if kid is not None:
        header[4] = kid.encode()
    protected = cbor2.dumps(header)
    payload = cbor2.dumps(payload_claims)
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    if mutate_signature:
        signature = mutate_signature(signature)
    if mutate_payload:
        payload = mutate_payload(payload)
    message: object = [protected, {}, payload, signature]
    if tag is not None:
        message = cbor2.CBORTag(tag, message)
    return cbor2.dumps(message)


def qr(raw: bytes) -> str:
    return "KG1:" + base45.b45encode(raw).decode()


def flip(index: int) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        changed = bytearray(data)
        changed[index] ^= 0x01
        return bytes(changed)

    return mutate


def vectors() -> dict[str, tuple[str, bool, str, str]]:
    """name -> (qr text, valid, reason, description)."""
    good = cose(claims())
    v: dict[str, tuple[str, bool, str, str]] = {}

    def add(name: str, text: str, valid: bool, reason: str, about: str) -> None:
        v[name] = (text, valid, reason, about)

    add("valid_basic", qr(good), True, "ok", "a well-formed card signed with the current key")
    add("valid_untagged", qr(cose(claims(), tag=None)), True, "ok", "COSE_Sign1 without tag 18")
    add(
        "valid_minimal",
        qr(cose(claims(**{"in": None, "by": None}))),
        True,
        "ok",
        "no initials, no birth year",
    )
    add("valid_no_programs", qr(cose(claims(pg=[]))), True, "ok", "holder enrolled nowhere yet")
    add(
        "valid_many_programs",
        qr(cose(claims(pg=[f"PRG{i}" for i in range(6)]))),
        True,
        "ok",
        "six program codes, the most a card carries",
    )
    add(
        "valid_retired_key",
        qr(cose(claims(), key=KEY_2, kid=KID_2)),
        True,
        "ok",
        "signed by a retired key that is still published",
    )
    add(
        "valid_clock_skew",
        qr(cose(claims(_6=NOW + 300))),
        True,
        "ok",
        "issued five minutes in the future: within the allowed clock skew",
    )
    add("valid_nbf_past", qr(cose(claims(_5=NOW - DAY))), True, "ok", "not-before in the past")
    add(
        "valid_unicode_initials",
        qr(cose(claims(**{"in": "ÉÖ"}))),
        True,
        "ok",
        "initials outside ASCII",
    )
    add(
        "wrong_key",
        qr(cose(claims(), key=ROGUE, kid=KID_1)),
        False,
        "bad_signature",
        "claims a published kid but is signed with another key",
    )
    add(
        "unknown_kid",
        qr(cose(claims(), key=ROGUE, kid="AAAAAAAA")),
        False,
        "unknown_kid",
        "kid not in the published key set",
    )
    add("missing_kid", qr(cose(claims(), kid=None)), False, "bad_cose", "no kid in the header")
    add("expired", qr(cose(claims(_4=NOW - DAY))), False, "expired", "expired yesterday")
    add(
        "expired_exactly_now",
        qr(cose(claims(_4=NOW))),
        False,
        "expired",
        "expiry equal to the verification time",
    )
    add("not_yet_valid", qr(cose(claims(_6=NOW + DAY))), False, "not_yet_valid", "issued tomorrow")
    add(
        "not_yet_valid_nbf",
        qr(cose(claims(_5=NOW + 2 * DAY))),
        False,
        "not_yet_valid",
        "not-before in two days",
    )
    add(
        "revoked",
        qr(cose(claims(cn=REVOKED[0]))),
        False,
        "revoked",
        "card number on the revocation list",
    )
    add(
        "revoked_and_expired",
        qr(cose(claims(cn=REVOKED[0], _4=NOW - DAY))),
        False,
        "expired",
        "expiry is checked before revocation",
    )
    add("alg_es256", qr(cose(claims(), alg=-7)), False, "unsupported_alg", "ECDSA P-256 (-7)")
    add("alg_hs256", qr(cose(claims(), alg=5)), False, "unsupported_alg", "HMAC (5)")
    add("alg_missing", qr(cose(claims(), alg=None)), False, "unsupported_alg", "no alg header")
    add(
        "alg_as_text",
        qr(cose(claims(), alg="EdDSA")),
        False,
        "unsupported_alg",
        "alg given as text instead of -8",
    )
    add(
        "flipped_signature_byte",
        qr(cose(claims(), mutate_signature=flip(10))),
        False,
        "bad_signature",
        "one bit of the signature changed",
    )
    add(
        "flipped_payload_byte",
        qr(cose(claims(), mutate_payload=flip(-3))),
        False,
        "bad_signature",
        "one bit of the signed claims changed",
    )
    add("bad_prefix", "KG2:" + qr(good)[4:], False, "bad_prefix", "wrong version prefix")
    add("lowercase_prefix", "kg1:" + qr(good)[4:], False, "bad_prefix", "prefix in lowercase")
    add("health_cert_prefix", "HC1:" + qr(good)[4:], False, "bad_prefix", "another scheme's prefix")
    add("empty", "", False, "bad_prefix", "nothing scanned")
    add(
        "bad_base45_lowercase",
        "KG1:" + qr(good)[4:].lower(),
        False,
        "bad_base45",
        "characters outside the base45 alphabet",
    )
    add(
        "bad_base45_overflow",
        "KG1:" + ":::" + qr(good)[7:],
        False,
        "bad_base45",
        "a triple above 65535",
    )
    text = qr(good)
    cut = len(text) - ((len(text) - 4) % 3) - 2  # leaves one dangling base45 character
    add("truncated_text", text[:cut], False, "bad_base45", "text cut inside a base45 group")
    add("truncated_cose", qr(good[:-30]), False, "bad_cose", "COSE bytes cut short")
    add("prefix_only", "KG1:", False, "bad_cose", "prefix and nothing else")
    add(
        "oversized",
        qr(cose(claims(pg=["P" * 40 for _ in range(6)]))),
        False,
        "oversized",
        "longer than a version 12 QR can hold",
    )
    add(
        "extra_claim_name",
        qr(cose({**claims(), "nm": "Amina Otieno"})),
        False,
        "bad_claims",
        "an extra claim (a full name) the format does not allow",
    )
    add(
        "extra_claim_national_id",
        qr(cose({**claims(), "ni": "12345678"})),
        False,
        "bad_claims",
        "an extra claim carrying a national ID",
    )
    add("missing_card_number", qr(cose(claims(cn=None))), False, "bad_claims", "no cn claim")
    add("exp_as_text", qr(cose(claims(_4="2030-01-01"))), False, "bad_claims", "expiry as text")
    add(
        "exp_as_float",
        qr(cose(claims(_4=float(NOW + DAY)))),
        False,
        "bad_claims",
        "expiry as a floating-point number",
    )
    add(
        "exp_beyond_2_53",
        qr(cose(claims(_4=2**60))),
        False,
        "bad_claims",
        "expiry larger than JavaScript numbers hold exactly",
    )
    add("payload_not_map", qr(cose(["123456789015"])), False, "bad_claims", "claims are an array")
    add(
        "bad_card_number",
        qr(cose(claims(cn="123456789012"))),
        False,
        "bad_number",
        "card number fails the Luhn check",
    )
    add("wrong_tag", qr(cose(claims(), tag=98)), False, "bad_cose", "COSE_Sign (98), not Sign1")
    add(
        "three_elements",
        qr(cbor2.dumps(cbor2.CBORTag(18, cbor2.loads(good).value[:3]))),
        False,
        "bad_cose",
        "COSE array of three",
    )
    add("trailing_bytes", qr(good + b"\x00"), False, "bad_cose", "a byte after the COSE item")
    add(
        "short_signature",
        qr(cose(claims(), mutate_signature=lambda s: s[:63])),
        False,
        "bad_cose",
        "63-byte signature",
    )
    return v


def jwks() -> dict[str, object]:
    keys = []
    for private, kid in ((KEY_1, KID_1), (KEY_2, KID_2)):
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        keys.append({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": kid, "x": x})
    return {"keys": keys}


def main() -> None:
    VECTORS.mkdir(exist_ok=True)
    for old in VECTORS.glob("*.json"):
        old.unlink()
    context = {"now": NOW, "revoked": REVOKED, "jwks": jwks()}
    (VECTORS / "_context.json").write_text(json.dumps(context, indent=2) + "\n")
    for name, (text, valid, reason, about) in vectors().items():
        document = {"name": name, "about": about, "qr": text, "valid": valid, "reason": reason}
        (VECTORS / f"{name}.json").write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        )
    print(f"wrote {len(vectors())} vectors to {VECTORS}")


if __name__ == "__main__":
    main()
