"""The task queue under the jobs: huey, on SQLite by default, on Redis when KINGA_REDIS_URL is set.

The queue carries only job ids; the Job row is the truth. A message lost with a killed worker
or a Redis restart is recovered from the rows (see registry.jobs.recovery).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

QUEUE_NAME = "kinga-jobs"
TASK_NAME = "kinga.run_job"


def make_huey(redis_url: str | None, instance: Path, *, memory: bool = False) -> Huey:
    """SQLite storage under `instance/` needs no server; Redis lets several hosts share a queue."""
    if memory:
        return MemoryHuey(QUEUE_NAME, results=False)
    if redis_url:
        return RedisHuey(QUEUE_NAME, url=redis_url, results=False)
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(instance / "jobs-queue.db"), results=False)


@dataclass
class JobsConfig:
    huey: Huey
    sessionmaker: Callable[[], sessionmaker[Session]]
    files_base: Path
    task: Any  # huey's TaskWrapper for the one task: run the job with this id


_config: JobsConfig | None = None
_lock = threading.Lock()


def configure(
    huey: Huey, sessionmaker_getter: Callable[[], sessionmaker[Session]], files_base: Path
) -> JobsConfig:
    """Binds this process's jobs to a queue, a session factory and a folder for result files."""
    global _config
    from registry.jobs.runner import run_job

    def run_job_task(job_id: int) -> None:
        run_job(sessionmaker_getter(), int(job_id), files_base=files_base)

    task = huey.task(name=TASK_NAME, retries=0)(run_job_task)
    with _lock:
        _config = JobsConfig(huey, sessionmaker_getter, files_base, task)
    return _config


def config() -> JobsConfig:
    if _config is None:
        raise RuntimeError("jobs are not configured: create the app (webapp.create_app) first")
    return _config


def enqueue(job_id: int) -> None:
    """Puts the id on the queue; a failure leaves the job queued for recovery to re-send."""
    try:
        config().task(job_id)
    except Exception as exc:  # the row is committed; recovery re-enqueues it
        log.error(
            "job %s not enqueued (%s); recovery will send it again", job_id, type(exc).__name__
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
