"""Runs one job: claims it, calls its body with a JobContext, records done or failed.

The claim bumps `attempts`, which is the run's fencing token: progress and the final write only
land while the row still carries that attempt, so a run that recovery gave up on (its worker
looked dead) cannot commit over the retry that replaced it.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import DomainError
from registry.i18n import N_
from registry.jobs.context import JobContext, JobSuperseded, job_files_dir
from registry.jobs.models import Job, JobState
from registry.jobs.queue import worker_name
from registry.jobs.registry import spec_for
from registry.jobs.service import origin_from_dict
from registry.request_context import current_request_id
from registry.scope import Scope

log = logging.getLogger("kinga.jobs")

HEARTBEAT_SECONDS = 5.0
SKIPPED = "skipped"


def _claim(session: Session, job_id: int, worker: str) -> Job | None:
    now = utcnow()
    claimed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            error=None,
            error_params={},
        )
    )
    session.commit()
    if claimed.rowcount != 1:
        return None
    return session.get(Job, job_id)


class _Heartbeat:
    """Touches `heartbeat_at` while the body runs: recovery tells a live run from a dead one."""

    def __init__(self, make_session: sessionmaker[Session], job_id: int, attempt: int) -> None:
        self.make_session, self.job_id, self.attempt = make_session, job_id, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._run, name=f"job-{job_id}-heartbeat", daemon=True
        )

    def _run(self) -> None:
        while not self.stop.wait(HEARTBEAT_SECONDS):
            try:
                with self.make_session() as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == self.job_id, Job.attempts == self.attempt)
                        .values(heartbeat_at=utcnow())
                    )
                    session.commit()
            except Exception as exc:  # a busy database this tick; the next one will do
                log.debug("heartbeat of job %s skipped: %s", self.job_id, type(exc).__name__)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=HEARTBEAT_SECONDS + 1)


LOCK_RETRIES = 20


def is_lock_conflict(exc: BaseException) -> bool:
    """SQLite refused a write because another connection wrote first ("database is locked"):
    the transaction cannot go on, but the same work tried again a moment later can."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def _run_body(body: Any, ctx: JobContext, params: dict[str, Any], job_id: int) -> dict[str, Any]:
    """Runs the body; after a lock conflict (SQLite, a web request writing meanwhile) the work
    since the last checkpoint is rolled back and the body runs again. Bodies are idempotent by
    design (work committed at a checkpoint is skipped), so nothing is applied twice."""
    for tries in range(1, LOCK_RETRIES + 1):
        try:
            return body(ctx, **params) or {}
        except OperationalError as exc:
            if not is_lock_conflict(exc) or tries == LOCK_RETRIES:
                raise
            ctx.session.rollback()
            log.warning("job meets a lock conflict; runs again", extra={"job_id": job_id})
            time.sleep(min(0.2 * tries, 2.0))
    raise AssertionError("unreachable")


def run_job(
    make_session: sessionmaker[Session],
    job_id: int,
    *,
    files_base: Path,
    worker: str | None = None,
    heartbeat: bool = True,
) -> str:
    """Runs the job if it is queued; returns its final state, or "skipped" if not queued."""
    worker = worker or worker_name()
    with make_session() as session:
        job = _claim(session, job_id, worker)
        if job is None:
            return SKIPPED
        kind, params, attempt = job.kind, dict(job.params), job.attempts
        origin = origin_from_dict(job.origin)
        scope = Scope(paths=tuple(job.scope_paths), everywhere=job.scope_everywhere)
        request_id = job.request_id
    # Files of an attempt that died are incomplete: each attempt starts with an empty folder.
    shutil.rmtree(job_files_dir(files_base, job_id), ignore_errors=True)
    started = time.monotonic()
    log.info(
        "job started",
        extra={"job_id": job_id, "kind": kind, "attempt": attempt, "request_id": request_id},
    )
    try:
        spec = spec_for(kind)
    except KeyError:
        return _fail(
            make_session, job_id, attempt, N_("This kind of job is not known to the worker."), {}
        )
    session = make_session()
    ctx = JobContext(
        session=session,
        origin=origin,
        scope=scope,
        job_id=job_id,
        request_id=request_id,
        files_base=files_base,
        attempt=attempt,
    )
    # A heartbeat thread writing beside the body would make SQLite refuse the body's own
    # writes (a read transaction cannot become a write one after another connection wrote);
    # SQLite runs on one host, where recovery asks the process table instead.
    heartbeat = heartbeat and session.get_bind().dialect.name != "sqlite"
    context_token = current_request_id.set(request_id)
    try:
        with _Heartbeat(make_session, job_id, attempt) if heartbeat else nullcontext():
            result = _run_body(spec.body, ctx, params, job_id)
            _finish(session, job_id, attempt, result, ctx.files, origin)
        state = JobState.DONE
    except JobSuperseded:
        session.rollback()
        log.warning("job superseded", extra={"job_id": job_id, "attempt": attempt})
        return SKIPPED
    except DomainError as exc:
        session.rollback()
        state = _fail(make_session, job_id, attempt, exc.msgid, dict(exc.params))
    except Exception as exc:
        session.rollback()
        log.exception("job crashed", extra={"job_id": job_id, "kind": kind})
        state = _fail(
            make_session,
            job_id,
            attempt,
            N_("The job stopped on an unexpected error (%(error)s). Work saved before it is kept."),
            {"error": type(exc).__name__},
        )
    finally:
        session.close()
        current_request_id.reset(context_token)
    log.info(
        "job finished",
        extra={
            "job_id": job_id,
            "kind": kind,
            "state": str(state),
            "duration_ms": round(1000 * (time.monotonic() - started)),
            "request_id": request_id,
        },
    )
    return str(state)


def _finish(
    session: Session,
    job_id: int,
    attempt: int,
    result: dict[str, Any],
    files: list[str],
    origin: Any,
) -> None:
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.attempts == attempt, Job.state == JobState.RUNNING)
        .values(
            state=JobState.DONE,
            result=result,
            files=files,
            finished_at=utcnow(),
            heartbeat_at=utcnow(),
        )
    )
    if done.rowcount != 1:
        raise JobSuperseded(job_id)
    kind = session.get(Job, job_id).kind  # type: ignore[union-attr]
    record(session, origin, "job.done", target_type="job", target_id=job_id, details={"kind": kind})
    session.commit()


def _fail(
    make_session: sessionmaker[Session],
    job_id: int,
    attempt: int,
    reason: str,
    params: dict[str, Any],
) -> str:
    with make_session() as session:
        failed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.attempts == attempt)
            .values(
                state=JobState.FAILED,
                error=reason,
                error_params=_jsonable(params),
                finished_at=utcnow(),
            )
        )
        if failed.rowcount == 1:
            job = session.get(Job, job_id)
            assert job is not None
            record(
                session,
                origin_from_dict(job.origin),
                "job.failed",
                target_type="job",
                target_id=job_id,
                details={"kind": job.kind},
            )
        session.commit()
    return JobState.FAILED if failed.rowcount == 1 else SKIPPED


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, int | float | str | bool) or v is None else str(v)
        for k, v in params.items()
    }
