"""gunicorn settings `kinga serve` uses: a dead worker's metrics files are retired."""

from __future__ import annotations

from typing import Any


def child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
