"""Running jobs from this process: now (CLI "wait"), or every queued one (tests, `--once`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.jobs.models import Job, JobState
from registry.jobs.queue import config
from registry.jobs.runner import run_job


def run_job_now(job_id: int, make_session: sessionmaker[Session] | None = None) -> str:
    """Runs a queued job here, through the same runner a worker uses; returns its final state."""
    cfg = config()
    return run_job(make_session or cfg.sessionmaker(), job_id, files_base=cfg.files_base)


def run_queued_jobs(
    make_session: sessionmaker[Session] | None = None, *, limit: int = 1000, heartbeat: bool = True
) -> list[int]:
    """Runs every queued job in id order (jobs a body submits run too); returns their ids.

    Tests pass `heartbeat=False`: their sessions share one connection, which a heartbeat
    thread must not use at the same time.
    """
    cfg = config()
    factory = make_session or cfg.sessionmaker()
    ran: list[int] = []
    while len(ran) < limit:
        with factory() as session:
            next_id = session.scalar(
                select(Job.id)
                .where(Job.state == JobState.QUEUED, Job.id.not_in(ran or [0]))
                .order_by(Job.id)
                .limit(1)
            )
        if next_id is None:
            return ran
        run_job(factory, next_id, files_base=cfg.files_base, heartbeat=heartbeat)
        ran.append(next_id)
    return ran
