"""Verification with the latest signed checkpoint, shared by the CLI and the auditor desk."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from registry.audit.checkpoint import (
    Checkpoint,
    check_signature,
    latest_checkpoint,
    load_or_create_key,
    read_checkpoint,
)
from registry.audit.verify import VerifyResult, verify_chain


def verify_with_checkpoint(
    session: Session, instance: Path, checkpoint_file: Path | None = None
) -> tuple[VerifyResult, Checkpoint | None]:
    """Checks the signature of the given (or latest) checkpoint, then the whole chain.

    Raises `CheckpointError` when the checkpoint is unreadable or its signature is wrong.
    """
    checkpoint = (
        read_checkpoint(checkpoint_file) if checkpoint_file else latest_checkpoint(instance)
    )
    if checkpoint is not None:
        check_signature(checkpoint, load_or_create_key(instance).public_key())
    return verify_chain(session, checkpoint), checkpoint
