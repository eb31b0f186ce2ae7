"""`kinga backup --out FILE` and `kinga restore FILE [--force]`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from registry.backup.database import BackupToolMissing
from registry.backup.service import BackupError, create_backup, restore_backup
from registry.cards.keys import default_keys_dir
from registry.migrate import DowngradeRefused
from registry.origin import Origin
from registry.settings import instance_dir
from webapp.state import state

cli = AppGroup("backup-commands", help="Backup and restore.")


def _passphrase() -> str | None:
    return os.environ.get("KINGA_BACKUP_PASSPHRASE") or None


@cli.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Back up the database, card keys and audit checkpoints while Kinga keeps serving."""
    try:
        report = create_backup(
            state().engine,
            out,
            instance=instance_dir(),
            keys_dir=default_keys_dir(),
            passphrase=_passphrase(),
            origin=Origin.cli("kinga backup"),
        )
    except (BackupToolMissing, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    except OperationalError as exc:
        raise click.ClickException(
            f"database unreachable ({type(exc.orig).__name__}); check KINGA_DATABASE_URL"
        ) from exc
    manifest = report.manifest
    households = manifest["tables"].get("households", 0)
    seq = (manifest["audit_head"] or {}).get("seq", 0)
    sealed = "encrypted" if report.encrypted else "NOT encrypted (set KINGA_BACKUP_PASSPHRASE)"
    click.echo(
        f"backup written to {report.path} ({report.size:,} bytes, {sealed}): "
        f"{households} households, audit log to seq {seq}"
    )


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup, migrate it, and verify the audit chain and row counts."""
    try:
        report = restore_backup(
            state().engine,
            file,
            instance=instance_dir(),
            keys_dir=default_keys_dir(),
            passphrase=_passphrase(),
            force=force,
            origin=Origin.cli("kinga restore"),
        )
    except (BackupError, BackupToolMissing, DowngradeRefused) as exc:
        click.echo(f"not restored: {exc}", err=True)
        sys.exit(1)
    tables = report.tables
    click.echo(
        f"restored the backup of {report.manifest['created_at']}: "
        f"{tables.get('households', 0)} households, {tables.get('persons', 0)} people, "
        f"{len(tables)} tables with the same row counts; audit chain verified "
        f"({report.audit_checked} events)"
    )
