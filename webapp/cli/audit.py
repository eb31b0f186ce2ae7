"""`kinga audit verify|checkpoint`: prove the audit log is intact, sign its head."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.audit.checkpoint import (
    CheckpointError,
    load_or_create_key,
    sign_head,
    write_checkpoint,
)
from registry.audit.checks import verify_with_checkpoint
from registry.audit.service import record
from registry.origin import Origin
from registry.settings import instance_dir
from webapp.cli.common import command_session


@click.group("audit", cls=AppGroup)
def cli() -> None:
    """Tamper-evident audit log."""


@cli.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A checkpoint file kept by an auditor (default: the latest one written here).",
)
def verify(checkpoint_file: Path | None) -> None:
    """Walk the hash chain; exit 1 at the first broken link."""
    with command_session() as session:
        try:
            result, checkpoint = verify_with_checkpoint(session, instance_dir(), checkpoint_file)
        except CheckpointError as exc:
            raise click.ClickException(str(exc)) from exc
    if not result.ok:
        raise click.ClickException(f"audit log {result.describe()}")
    against = f" (checkpoint seq {checkpoint.seq} holds)" if checkpoint else ""
    click.echo(f"audit log {result.describe()}{against}")


@cli.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the checkpoint to this file (e.g. a USB key or a share an auditor keeps).",
)
def checkpoint(out: Path | None) -> None:
    """Sign the current head of the chain with the server key and write it to a file."""
    instance = instance_dir()
    with command_session() as session:
        signed = sign_head(session, load_or_create_key(instance))
        path = write_checkpoint(instance, signed)
        record(
            session,
            Origin.cli(),
            "audit.checkpoint",
            target_type="audit",
            target_id=signed.seq,
            details={"head_hash": signed.head_hash},
        )
    if out is not None:
        out.write_text(signed.to_json())
        path = out
    click.echo(f"checkpoint seq {signed.seq} hash {signed.head_hash} written to {path}")
