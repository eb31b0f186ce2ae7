"""Sign a DCI message as a partner system would, for trying Kinga's DCI API with curl.

    python tools/dci_envelope.py keygen partner.key          # prints the public key to register
    python tools/dci_envelope.py sign partner.key CLIENT_ID search message.json > body.json

Standalone on purpose (only the `cryptography` package): partners do not run Kinga's code. The
signature follows docs/interoperability.md (BLAKE2b-512 digest of the canonical JSON of header
and message, Ed25519, DCI `Signature:` string).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)


def keygen(path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    path.chmod(0o600)
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    print(base64.urlsafe_b64encode(raw).rstrip(b"=").decode())


def sign(path: Path, client_id: str, action: str, message_path: Path) -> None:
    key = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:6]).decode()
    message = json.loads(message_path.read_text())
    header = {
        "version": "1.0.0",
        "message_id": str(uuid.uuid4()),
        "message_ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "action": action,
        "sender_id": client_id,
        "receiver_id": "kinga",
        "total_count": 1,
        "is_msg_encrypted": False,
    }
    canonical = json.dumps(
        {"header": header, "message": message},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    created = int(time.time())
    expires = created + 3600
    digest = base64.b64encode(hashlib.blake2b(canonical, digest_size=64).digest()).decode()
    text = f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}"
    value = base64.b64encode(key.sign(text.encode())).decode()
    signature = (
        f'Signature: namespace="dci", kidId="{client_id}|{kid}|ed25519", algorithm="ed25519", '
        f'created="{created}", expires="{expires}", headers="(created) (expires) digest", '
        f'signature="{value}"'
    )
    print(json.dumps({"signature": signature, "header": header, "message": message}, indent=1))


if __name__ == "__main__":
    if sys.argv[1:2] == ["keygen"] and len(sys.argv) == 3:
        keygen(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["sign"] and len(sys.argv) == 6:
        sign(Path(sys.argv[2]), sys.argv[3], sys.argv[4], Path(sys.argv[5]))
    else:
        sys.exit(__doc__)
