"""Jobs whose worker died: found from their rows, retried (up to the kind's limit) or failed.

A worker killed with kill -9 cannot say anything. Its job keeps state `running`, but its
heartbeat stops; and when the dead worker was on this host, its process id is gone. Either
way the job goes back to `queued` (its body is idempotent, so the retry finishes the work
without doing any of it twice) or, after too many attempts, to `failed` with the reason.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.i18n import N_
from registry.jobs.models import Job, JobState
from registry.jobs.registry import spec_for
from registry.jobs.service import origin_from_dict

log = logging.getLogger("kinga.jobs")

STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Recovered:
    retried: list[int]
    failed: list[int]
    resent: list[int]


def _process_gone(worker: str | None) -> bool:
    """True when the worker ran on this host and its process no longer exists."""
    if not worker or worker.count(":") != 1:
        return False
    host, _, pid_text = worker.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return False


def recover_stale_jobs(
    session: Session,
    *,
    enqueue: Callable[[int], None],
    stale_after: timedelta = STALE_AFTER,
    queue_empty: bool = False,
) -> Recovered:
    """Retries or fails dead runs; re-sends queued jobs whose message was lost (queue empty)."""
    now = utcnow()
    retried: list[int] = []
    failed: list[int] = []
    running = session.scalars(
        select(Job)
        .where(Job.state == JobState.RUNNING)
        .order_by(Job.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for job in running:
        stale = job.heartbeat_at is None or job.heartbeat_at < now - stale_after
        if not (stale or _process_gone(job.worker)):
            continue
        try:
            limit = spec_for(job.kind).max_attempts
        except KeyError:
            limit = 1
        origin = origin_from_dict(job.origin)
        if job.attempts >= limit:
            job.state = JobState.FAILED
            job.error = N_(
                "The worker running this job stopped %(attempts)s times; it was not started again."
            )
            job.error_params = {"attempts": job.attempts}
            job.finished_at = now
            record(
                session,
                origin,
                "job.failed",
                target_type="job",
                target_id=job.id,
                details={"kind": job.kind, "reason": "worker_lost"},
            )
            failed.append(job.id)
        else:
            job.state = JobState.QUEUED
            job.enqueued_at = now
            job.progress_message = None
            record(
                session,
                origin,
                "job.retried",
                target_type="job",
                target_id=job.id,
                details={"kind": job.kind, "attempt": job.attempts},
            )
            retried.append(job.id)
    resent: list[int] = []
    if queue_empty:
        lost = session.scalars(
            select(Job.id).where(
                Job.state == JobState.QUEUED,
                or_(Job.enqueued_at.is_(None), Job.enqueued_at < now - timedelta(seconds=5)),
                Job.id.not_in(retried or [0]),
            )
        ).all()
        if lost:
            session.execute(update(Job).where(Job.id.in_(lost)).values(enqueued_at=now))
        resent = list(lost)
    session.commit()
    for job_id in retried + resent:
        enqueue(job_id)
    if retried or failed or resent:
        log.warning(
            "jobs recovered",
            extra={"retried": retried, "failed": failed, "resent": resent},
        )
    return Recovered(retried, failed, resent)
