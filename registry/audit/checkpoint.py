"""Signed checkpoints of the audit chain head, kept outside the database.

The server signs `(seq, head hash, time)` with an Ed25519 key stored in `instance/` (never in
the database, so a database administrator cannot forge one). Auditors keep the checkpoint
files; a later `verify` against one proves that nothing up to that head changed or vanished.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.audit.service import GENESIS_HASH
from registry.db import utcnow

KEY_FILE = "audit_checkpoint_key.pem"
CHECKPOINT_DIR = "audit-checkpoints"


class CheckpointError(ValueError):
    """The checkpoint file is unreadable or its signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head_hash: str
    signed_at: str
    key_id: str
    signature: str = ""

    def message(self) -> bytes:
        body = {"seq": self.seq, "head_hash": self.head_hash, "signed_at": self.signed_at}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def load_or_create_key(instance: Path) -> Ed25519PrivateKey:
    path = instance / KEY_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 key")
    return loaded


def public_key_b64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_id(key: Ed25519PublicKey) -> str:
    return public_key_b64(key)[:16]


def current_head(session: Session) -> tuple[int, str]:
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


def sign_head(session: Session, key: Ed25519PrivateKey, now: datetime | None = None) -> Checkpoint:
    seq, head_hash = current_head(session)
    unsigned = Checkpoint(
        seq=seq,
        head_hash=head_hash,
        signed_at=(now or utcnow()).isoformat(timespec="seconds"),
        key_id=key_id(key.public_key()),
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def write_checkpoint(instance: Path, checkpoint: Checkpoint) -> Path:
    folder = instance / CHECKPOINT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{checkpoint.seq:012d}.json"
    path.write_text(checkpoint.to_json())
    (folder / "latest.json").write_text(checkpoint.to_json())
    return path


def latest_checkpoint(instance: Path) -> Checkpoint | None:
    path = instance / CHECKPOINT_DIR / "latest.json"
    return read_checkpoint(path) if path.exists() else None


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        raw = json.loads(path.read_text())
        return Checkpoint(
            seq=int(raw["seq"]),
            head_hash=str(raw["head_hash"]),
            signed_at=str(raw["signed_at"]),
            key_id=str(raw["key_id"]),
            signature=str(raw["signature"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"unreadable checkpoint {path.name}: {type(exc).__name__}") from exc


def check_signature(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    if checkpoint.key_id != key_id(public_key):
        raise CheckpointError("checkpoint signed with another key")
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError) as exc:
        raise CheckpointError("checkpoint signature does not verify") from exc
