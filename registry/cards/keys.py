"""Card signing keys: Ed25519 key pairs in files, never in the database.

The keys directory (`KINGA_KEYS_DIR`, default `instance/keys`) holds, per key id, a public key
`<kid>.pub` (kept for good so old cards verify until they expire) and, for the current key
only, a private key `<kid>.key`. `current` names the key that signs. Rotation makes a new
pair and deletes the previous private key: a stolen old key file cannot sign anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from registry.settings import ROOT, instance_dir


class KeysUnavailable(Exception):
    """The keys directory is missing, unsafe or holds no signing key."""


def default_keys_dir() -> Path:
    configured = os.environ.get("KINGA_KEYS_DIR")
    return Path(configured) if configured else instance_dir() / "keys"


def key_id(public_key: Ed25519PublicKey) -> str:
    """Eight characters from the key's hash: short in the QR, stable, and public."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:6]).decode()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


class Keyring:
    """The keys in one directory: every public key, and the current private key if any."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def check(self) -> None:
        """Refuses a keys directory others can read, or one inside the served code tree."""
        web_root = (ROOT / "webapp").resolve()
        resolved = self.directory.resolve()
        if resolved == web_root or web_root in resolved.parents:
            raise KeysUnavailable(f"keys directory {self.directory} lies inside the web root")
        if not self.directory.exists():
            return
        mode = stat.S_IMODE(self.directory.stat().st_mode)
        if mode & 0o077:
            raise KeysUnavailable(
                f"keys directory {self.directory} is open to others (mode {mode:o}); "
                "run: chmod 700 on it"
            )
        for path in self.directory.glob("*.key"):
            file_mode = stat.S_IMODE(path.stat().st_mode)
            if file_mode & 0o077:
                raise KeysUnavailable(f"private key {path} is open to others (mode {file_mode:o})")

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        keys: dict[str, Ed25519PublicKey] = {}
        if not self.directory.exists():
            return keys
        for path in sorted(self.directory.glob("*.pub")):
            raw = base64.b64decode(path.read_text().strip())
            keys[path.stem] = Ed25519PublicKey.from_public_bytes(raw)
        return keys

    def current_kid(self) -> str | None:
        pointer = self.directory / "current"
        return pointer.read_text().strip() if pointer.exists() else None

    def signing_key(self) -> SigningKey:
        kid = self.current_kid()
        path = self.directory / f"{kid}.key"
        if kid is None or not path.exists():
            raise KeysUnavailable("no card signing key yet; run `kinga keys rotate`")
        self.check()
        private = load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise KeysUnavailable(f"{path} is not an Ed25519 key")
        return SigningKey(kid=kid, private_key=private)

    def ensure_signing_key(self) -> SigningKey:
        """The current key, made on first use so a fresh install can issue cards at once."""
        if self.current_kid() is None:
            self.rotate()
        return self.signing_key()

    def rotate(self) -> str:
        """Makes a new key pair, makes it current and deletes the previous private key."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.directory.chmod(0o700)
        self.check()
        previous = self.current_kid()
        private = Ed25519PrivateKey.generate()
        public = private.public_key()
        kid = key_id(public)
        pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        key_path = self.directory / f"{kid}.key"
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        (self.directory / f"{kid}.pub").write_text(base64.b64encode(raw).decode() + "\n")
        pointer = self.directory / "current.tmp"
        pointer.write_text(kid + "\n")
        pointer.replace(self.directory / "current")
        if previous and previous != kid:
            (self.directory / f"{previous}.key").unlink(missing_ok=True)
        return kid

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public keys as a JSON Web Key Set (RFC 8037 OKP keys)."""
        current = self.current_kid()
        keys = []
        for kid, public in self.public_keys().items():
            raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
            keys.append(
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "alg": "EdDSA",
                    "use": "sig",
                    "kid": kid,
                    "x": b64url(raw),
                    "status": "current" if kid == current else "retired",
                }
            )
        return {"keys": keys}
