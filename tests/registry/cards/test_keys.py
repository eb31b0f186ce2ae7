from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.cards.keys import Keyring, KeysUnavailable
from registry.settings import ROOT


def test_rotate_keeps_old_public_keys_and_drops_old_private_keys(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys")
    first = ring.rotate()
    second = ring.rotate()
    assert first != second and ring.current_kid() == second
    assert set(ring.public_keys()) == {first, second}
    assert not (tmp_path / "keys" / f"{first}.key").exists()
    assert ring.signing_key().kid == second
    statuses = {k["kid"]: k["status"] for k in ring.jwks()["keys"]}
    assert statuses == {first: "retired", second: "current"}
    for jwk in ring.jwks()["keys"]:
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and len(jwk["x"]) == 43


def test_private_key_file_is_private(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys")
    kid = ring.rotate()
    assert (tmp_path / "keys" / f"{kid}.key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "keys").stat().st_mode & 0o077 == 0


def test_open_permissions_are_refused(tmp_path: Path) -> None:
    ring = Keyring(tmp_path / "keys")
    kid = ring.rotate()
    os.chmod(tmp_path / "keys" / f"{kid}.key", 0o644)
    with pytest.raises(KeysUnavailable, match="open to others"):
        ring.check()
    os.chmod(tmp_path / "keys" / f"{kid}.key", 0o600)
    os.chmod(tmp_path / "keys", 0o755)  # noqa: S103 - the unsafe case under test
    with pytest.raises(KeysUnavailable, match="open to others"):
        ring.check()


def test_keys_inside_the_web_root_are_refused() -> None:
    with pytest.raises(KeysUnavailable, match="web root"):
        Keyring(ROOT / "webapp" / "static" / "keys").check()


def test_no_key_yet_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(KeysUnavailable, match="kinga keys rotate"):
        Keyring(tmp_path / "none").signing_key()
