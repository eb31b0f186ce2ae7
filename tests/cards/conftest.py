from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

if TYPE_CHECKING:
    import numpy as np

VECTORS = Path(__file__).resolve().parent / "vectors"


def load_vectors() -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text())
        for path in sorted(VECTORS.glob("*.json"))
        if not path.name.startswith("_")
    ]


def load_context() -> dict[str, Any]:
    return json.loads((VECTORS / "_context.json").read_text())


def keys_from_jwks(jwks: dict[str, Any]) -> dict[str, Ed25519PublicKey]:
    keys = {}
    for jwk in jwks["keys"]:
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
        keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(raw)
    return keys


def decode_qr_codes(image: np.ndarray) -> set[str]:
    """Every QR text OpenCV finds, with its classic detector and then its ArUco-based one
    (each misses a few symbols the other reads)."""
    import cv2

    found: set[str] = set()
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        ok, texts, _points, _ = detector.detectAndDecodeMulti(image)
        if ok:
            found |= {text for text in texts if text}
        text = detector.detectAndDecode(image)[0]
        if text:
            found.add(text)
    return found
