"""Results files waiting for their reconciliation job, kept under the instance folder by hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from registry.settings import instance_dir

MAX_BYTES = 200 * 1024 * 1024


def store_upload(data: bytes) -> Path:
    """Writes the file once (its name is its SHA-256) and returns where it lies."""
    folder = instance_dir() / "payment-results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()}.csv"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return path
