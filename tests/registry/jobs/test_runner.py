"""The job runner: queued -> running -> done/failed, progress, files, audit, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from huey import MemoryHuey
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.audit.models import AuditEvent
from registry.db import utcnow
from registry.jobs import Job, JobState, submit_job
from registry.jobs.context import JobSuperseded
from registry.jobs.queue import config
from registry.jobs.recovery import recover_stale_jobs
from registry.jobs.runner import run_job
from registry.messaging.models import KeyValue
from registry.origin import Origin
from registry.scope import Scope
from tests.registry.jobs import bodies


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    bodies.CALLS.clear()


def _submit(session: Session, kind: str = "tests.mark_items", **params: object) -> Job:
    job = submit_job(
        session, kind, dict(params), origin=Origin.cli("tester"), scope=Scope.unrestricted()
    )
    session.commit()
    return job


def _run(factory: sessionmaker[Session], job_id: int) -> str:
    return run_job(factory, job_id, files_base=config().files_base, heartbeat=False)


def _marks(session: Session, job_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(KeyValue).where(KeyValue.key.like(f"job-{job_id}-%"))
    )


def test_submit_writes_a_queued_job_enqueued_only_after_commit(
    app: Flask, db_session: Session
) -> None:
    huey: MemoryHuey = config().huey
    before = huey.pending_count()
    job = submit_job(
        db_session,
        "tests.mark_items",
        {"items": 3},
        origin=Origin.cli("t"),
        scope=Scope.unrestricted(),
    )
    assert job.state == JobState.QUEUED and huey.pending_count() == before
    db_session.commit()
    assert huey.pending_count() == before + 1
    audit = db_session.scalars(select(AuditEvent).where(AuditEvent.target_type == "job")).all()
    assert [(e.action, e.target_id) for e in audit] == [("job.submitted", str(job.id))]


def test_a_rolled_back_submission_is_never_enqueued(app: Flask, db_session: Session) -> None:
    huey: MemoryHuey = config().huey
    before = huey.pending_count()
    submit_job(
        db_session,
        "tests.mark_items",
        {"items": 3},
        origin=Origin.cli("t"),
        scope=Scope.unrestricted(),
    )
    db_session.rollback()
    db_session.commit()
    assert huey.pending_count() == before


def test_unknown_kind_and_unstorable_params_are_refused(app: Flask, db_session: Session) -> None:
    from registry.errors import InvalidInput

    with pytest.raises(InvalidInput):
        submit_job(db_session, "no.such", {}, origin=Origin.cli(), scope=Scope.unrestricted())
    with pytest.raises(InvalidInput):
        submit_job(
            db_session,
            "tests.mark_items",
            {"x": object()},
            origin=Origin.cli(),
            scope=Scope.unrestricted(),
        )


def test_a_job_runs_to_done_with_progress_result_files_and_audit(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, items=5, chunk=2)
    assert _run(session_factory, job.id) == JobState.DONE
    db_session.expire_all()
    done = db_session.get(Job, job.id)
    assert done.state == "done" and done.result == {"marked": 5, "items": 5}
    assert done.progress_done == 4 and done.progress_total == 5
    assert done.files == ["marked.csv"] and done.attempts == 1
    assert (config().files_base / "jobs" / str(job.id) / "marked.csv").read_text().count("\n") == 6
    assert _marks(db_session, job.id) == 5
    actions = db_session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.target_id == str(job.id))
        .order_by(AuditEvent.seq)
    ).all()
    assert actions == ["job.submitted", "job.done"]


def test_a_lock_conflict_runs_the_body_again_and_applies_nothing_twice(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, "tests.locked_once", items=6)
    assert _run(session_factory, job.id) == JobState.DONE
    db_session.expire_all()
    done = db_session.get(Job, job.id)
    assert job.id in bodies.LOCKED_ONCE and done.attempts == 1
    # Items 0-3 were checkpointed before the conflict, so the second run wrote only 4 and 5.
    assert done.result == {"written": 2}
    assert sorted(item for jid, item in bodies.CALLS if jid == job.id) == [0, 1, 2, 3, 4, 5]
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(KeyValue)
            .where(KeyValue.key.like(f"locked-{job.id}-%"))
        )
        == 6
    )


def test_a_finished_job_is_never_run_again(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, items=3)
    assert _run(session_factory, job.id) == "done"
    assert _run(session_factory, job.id) == "skipped"
    assert [c for c in bodies.CALLS if c[0] == job.id] == [(job.id, 0), (job.id, 1), (job.id, 2)]


def test_a_refusal_fails_the_job_with_its_message(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, "tests.refuse")
    assert _run(session_factory, job.id) == "failed"
    db_session.expire_all()
    failed = db_session.get(Job, job.id)
    assert failed.error == "Give the date as YYYY-MM-DD." and failed.finished_at is not None


def test_a_crash_fails_the_job_naming_the_error_type_only(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, items=6, chunk=2, fail_at=3)
    assert _run(session_factory, job.id) == "failed"
    db_session.expire_all()
    failed = db_session.get(Job, job.id)
    assert failed.error_params == {"error": "RuntimeError"}
    assert "Amina" not in (failed.error or "") + str(failed.error_params)
    assert _marks(db_session, job.id) == 2  # the checkpoint after items 0-1 is kept
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.target_id == str(job.id))
    ).all()
    assert "job.failed" in actions


def test_a_job_whose_worker_died_is_retried_and_applies_nothing_twice(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    job = _submit(db_session, items=6, chunk=2)
    # A first worker marked items 0-3 and checkpointed, then died (its process is gone).
    db_session.execute(
        Job.__table__.update()
        .where(Job.id == job.id)
        .values(
            state="running",
            attempts=1,
            worker="ghost:1",
            heartbeat_at=utcnow() - timedelta(minutes=5),
        )
    )
    for item in range(4):
        db_session.add(
            KeyValue(
                key=f"job-{job.id}-item-{item}", value="1", expires_at=utcnow() + timedelta(days=1)
            )
        )
    db_session.commit()
    sent: list[int] = []
    recovered = recover_stale_jobs(db_session, enqueue=sent.append)
    assert recovered.retried == [job.id] and sent == [job.id]
    assert _run(session_factory, job.id) == "done"
    db_session.expire_all()
    done = db_session.get(Job, job.id)
    assert done.attempts == 2 and done.result == {"marked": 2, "items": 6}
    assert _marks(db_session, job.id) == 6
    assert [c for c in bodies.CALLS if c[0] == job.id] == [(job.id, 4), (job.id, 5)]


def test_a_live_job_is_left_alone_by_recovery(app: Flask, db_session: Session) -> None:
    job = _submit(db_session, items=2)
    db_session.execute(
        Job.__table__.update()
        .where(Job.id == job.id)
        .values(state="running", attempts=1, worker="elsewhere:1", heartbeat_at=utcnow())
    )
    db_session.commit()
    assert recover_stale_jobs(db_session, enqueue=lambda _id: None).retried == []


def test_too_many_dead_workers_fail_the_job_with_the_reason(
    app: Flask, db_session: Session
) -> None:
    job = _submit(db_session, items=2)
    db_session.execute(
        Job.__table__.update()
        .where(Job.id == job.id)
        .values(
            state="running",
            attempts=3,
            worker="ghost:1",
            heartbeat_at=utcnow() - timedelta(hours=1),
        )
    )
    db_session.commit()
    recovered = recover_stale_jobs(db_session, enqueue=lambda _id: None)
    assert recovered.failed == [job.id]
    db_session.expire_all()
    failed = db_session.get(Job, job.id)
    assert failed.state == "failed" and failed.error_params == {"attempts": 3}


def test_lost_queue_messages_are_sent_again_when_the_queue_is_empty(
    app: Flask, db_session: Session
) -> None:
    job = _submit(db_session, items=2)
    db_session.execute(
        Job.__table__.update()
        .where(Job.id == job.id)
        .values(enqueued_at=utcnow() - timedelta(minutes=1))
    )
    db_session.commit()
    sent: list[int] = []
    assert recover_stale_jobs(db_session, enqueue=sent.append, queue_empty=False).resent == []
    assert recover_stale_jobs(db_session, enqueue=sent.append, queue_empty=True).resent == [job.id]
    assert sent == [job.id]


def test_a_superseded_run_saves_nothing_more(
    app: Flask, db_session: Session, session_factory: sessionmaker[Session]
) -> None:
    from registry.jobs.context import JobContext

    job = _submit(db_session, items=2)
    db_session.execute(
        Job.__table__.update().where(Job.id == job.id).values(state="running", attempts=2)
    )
    db_session.commit()
    session = session_factory()
    ctx = JobContext(
        session=session,
        origin=Origin.cli(),
        scope=Scope.unrestricted(),
        job_id=job.id,
        request_id=None,
        files_base=config().files_base,
        attempt=1,
    )
    session.add(
        KeyValue(key=f"job-{job.id}-late", value="1", expires_at=utcnow() + timedelta(days=1))
    )
    with pytest.raises(JobSuperseded):
        ctx.progress(1, 2)
    session.close()
    assert _marks(db_session, job.id) == 0


def test_the_fixture_runs_what_the_web_queued(
    app: Flask, db_session: Session, run_queued_jobs
) -> None:  # type: ignore[no-untyped-def]
    job = _submit(db_session, items=2)
    assert job.id in run_queued_jobs()
    db_session.expire_all()
    assert db_session.get(Job, job.id).state == "done"
