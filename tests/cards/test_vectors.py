"""The conformance vectors against the server verifier (the browser runs them too)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from registry.cards.verify import verify_qr
from tests.cards.conftest import keys_from_jwks, load_context, load_vectors

VECTORS = load_vectors()


def test_there_are_enough_vectors_of_each_kind() -> None:
    assert len(VECTORS) >= 30
    reasons = {v["reason"] for v in VECTORS}
    assert {
        "ok",
        "bad_signature",
        "unknown_kid",
        "expired",
        "not_yet_valid",
        "revoked",
        "unsupported_alg",
        "bad_prefix",
        "bad_base45",
        "bad_cose",
        "oversized",
        "bad_claims",
        "bad_number",
    } <= reasons


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_server_verifier_gives_the_expected_verdict(vector: dict) -> None:
    context = load_context()
    now = datetime.fromtimestamp(context["now"], UTC)
    verdict = verify_qr(vector["qr"], keys_from_jwks(context["jwks"]), set(context["revoked"]), now)
    assert (verdict.valid, verdict.reason) == (vector["valid"], vector["reason"])
