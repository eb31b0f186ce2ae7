"""`kinga backup` and `kinga restore`: one file holding the database, the card signing keys and
the audit checkpoints (with its key), checked member by member and verified after a restore."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry.audit.checkpoint import CHECKPOINT_DIR, KEY_FILE, CheckpointError
from registry.audit.checks import verify_with_checkpoint
from registry.audit.service import record
from registry.backup.crypto import decrypt_stream, encrypt_stream, is_encrypted
from registry.backup.database import RESTORERS, describe, dialect_of, dump, is_empty
from registry.db import utcnow
from registry.migrate import upgrade
from registry.origin import Origin

FORMAT = 1
INSTANCE_FILES = ("secret_key", "at_callback_token", KEY_FILE)


class BackupError(Exception):
    """A backup that cannot be read, or a restore that is refused or does not verify."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    encrypted: bool
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    tables: dict[str, int]
    audit_checked: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _stage_files(instance: Path, keys_dir: Path, staging: Path) -> None:
    for name in INSTANCE_FILES:
        if (instance / name).is_file():
            (staging / "instance").mkdir(exist_ok=True)
            shutil.copy2(instance / name, staging / "instance" / name)
    if (instance / CHECKPOINT_DIR).is_dir():
        shutil.copytree(instance / CHECKPOINT_DIR, staging / "instance" / CHECKPOINT_DIR)
    if keys_dir.is_dir():
        shutil.copytree(keys_dir, staging / "keys")


def _members(staging: Path) -> list[Path]:
    return sorted(p for p in staging.rglob("*") if p.is_file())


def create_backup(
    engine: Engine,
    out: Path,
    *,
    instance: Path,
    keys_dir: Path,
    passphrase: str | None,
    origin: Origin,
) -> BackupReport:
    """Writes the backup to `out` (atomically, readable by its owner only) while Kinga runs."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".kinga-backup-") as tmp:
        os.chmod(tmp, 0o700)
        staging = Path(tmp) / "backup"
        staging.mkdir()
        # Files first: a checkpoint copied now is never ahead of the database copied next.
        _stage_files(instance, keys_dir, staging)
        member, facts = dump(engine, staging)
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(timespec="seconds"),
            "database": member,
            "dialect": engine.dialect.name,
            **facts,
            "files": {str(p.relative_to(staging)): _sha256(p) for p in _members(staging)},
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive = Path(tmp) / "backup.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for path in _members(staging):
                tar.add(path, arcname=str(path.relative_to(staging)), recursive=False)
        final = Path(tmp) / "final"
        if passphrase:
            with archive.open("rb") as source, final.open("wb") as sealed:
                encrypt_stream(source, sealed, passphrase)
        else:
            archive.rename(final)
        os.chmod(final, 0o600)
        os.replace(final, out)
    _audit_backup(engine, origin, out, bool(passphrase), manifest)
    return BackupReport(out, out.stat().st_size, bool(passphrase), manifest)


def _audit_backup(
    engine: Engine, origin: Origin, out: Path, encrypted: bool, manifest: dict[str, Any]
) -> None:
    """Records the backup; retried, as SQLite refuses a read-then-write transaction at once
    when another writer committed in between (the backup runs while Kinga serves)."""
    for attempt in range(5):
        try:
            with Session(engine) as session:
                record(
                    session,
                    origin,
                    "backup.created",
                    details={
                        "file": out.name,
                        "encrypted": encrypted,
                        "audit_seq": (manifest["audit_head"] or {}).get("seq"),
                    },
                )
                session.commit()
            return
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def read_backup(path: Path, passphrase: str | None, workdir: Path) -> tuple[dict[str, Any], Path]:
    """Decrypts (when needed) and unpacks the backup; every member is checked against the
    manifest's checksum. Returns the manifest and the folder holding the members."""
    with path.open("rb") as handle:
        encrypted = is_encrypted(handle.read(64))
    archive = workdir / "backup.tar.gz"
    if encrypted:
        if not passphrase:
            raise BackupError("this backup is encrypted: set KINGA_BACKUP_PASSPHRASE")
        from registry.backup.crypto import BackupDecryptError

        try:
            with path.open("rb") as source, archive.open("wb") as out:
                decrypt_stream(source, out, passphrase)
        except BackupDecryptError as exc:
            raise BackupError(str(exc)) from None
    else:
        shutil.copyfile(path, archive)
    unpacked = workdir / "backup"
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")
        manifest = json.loads((unpacked / "manifest.json").read_text())
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"not a readable Kinga backup ({type(exc).__name__})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not known to this version")
    for name, digest in manifest["files"].items():
        member = unpacked / name
        if not member.is_file() or _sha256(member) != digest:
            raise BackupError(f"the backup is damaged: {name} does not match its checksum")
    return manifest, unpacked


def _put_files(unpacked: Path, instance: Path, keys_dir: Path) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    source = unpacked / "instance"
    if source.is_dir():
        for path in source.rglob("*"):
            target = instance / path.relative_to(source)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                os.chmod(target, 0o600)
    if (unpacked / "keys").is_dir():
        keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(keys_dir, 0o700)
        for path in (unpacked / "keys").iterdir():
            shutil.copyfile(path, keys_dir / path.name)
            os.chmod(keys_dir / path.name, 0o600 if path.suffix == ".key" else 0o644)


def restore_backup(
    engine: Engine,
    path: Path,
    *,
    instance: Path,
    keys_dir: Path,
    passphrase: str | None,
    force: bool,
    origin: Origin,
) -> RestoreReport:
    """Restores, migrates, then verifies the audit chain and every table's row count."""
    with tempfile.TemporaryDirectory(prefix="kinga-restore-") as tmp:
        os.chmod(tmp, 0o700)
        manifest, unpacked = read_backup(path, passphrase, Path(tmp))
        if dialect_of(manifest["database"]) != engine.dialect.name:
            raise BackupError(
                f"this backup holds a {manifest['dialect']} database; "
                f"KINGA_DATABASE_URL points at {engine.dialect.name}"
            )
        if not force and not is_empty(engine):
            raise BackupError(
                "refusing to overwrite a database that holds data; "
                "check KINGA_DATABASE_URL, then add --force to replace it"
            )
        RESTORERS[manifest["database"]](engine, unpacked / manifest["database"])
        _put_files(unpacked, instance, keys_dir)
    upgrade(engine)
    return _verify(engine, manifest, instance, origin)


def _verify(
    engine: Engine, manifest: dict[str, Any], instance: Path, origin: Origin
) -> RestoreReport:
    with engine.connect() as connection:
        facts = describe(connection)
    wrong = {
        name: (count, facts["tables"].get(name))
        for name, count in manifest["tables"].items()
        if facts["tables"].get(name) != count
    }
    if wrong:
        listed = ", ".join(f"{n} {got} (backup {want})" for n, (want, got) in sorted(wrong.items()))
        raise BackupError(f"restored row counts differ from the backup: {listed}")
    if facts["audit_head"] != manifest["audit_head"]:
        raise BackupError("the restored audit log does not end where the backup's did")
    with Session(engine) as session:
        try:
            result, _checkpoint = verify_with_checkpoint(session, instance)
        except CheckpointError as exc:
            raise BackupError(f"the restored audit checkpoint is not valid ({exc})") from None
        if not result.ok:
            raise BackupError(f"the restored audit log does not verify: {result.describe()}")
        record(
            session,
            origin,
            "backup.restored",
            details={"created_at": manifest["created_at"], "audit_seq": result.head_seq},
        )
        session.commit()
    return RestoreReport(manifest, facts["tables"], result.checked)
