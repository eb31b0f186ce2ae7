"""kill -9 of a job worker in the middle of enrollment: the job is retried by the next worker
and finishes, and nothing is applied twice (one decision per household, one SMS per change).

Runs on SQLite with huey's SQLite queue, and on PostgreSQL + Redis when the suite has them.
"""

from __future__ import annotations

import signal
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.areas.models import Area, AreaLevel
from registry.audit.models import AuditEvent
from registry.db import make_engine, make_sessionmaker
from registry.demo.loader import load_areas, load_households
from registry.jobs import Job, submit_job
from registry.jobs.queue import configure, make_huey
from registry.migrate import upgrade
from registry.origin import Origin
from registry.outbox.models import OutboxMessage
from registry.programs.jobs import APPLY
from registry.programs.models import Enrollment, EnrollmentEvent
from registry.scope import Scope
from tests.registry.programs.helpers import make_program
from tests.scratch import TEST_REDIS_URL, kinga_env, scratch_database, start_kinga

HOUSEHOLDS = 3000
EVERY = 100


def _job(factory: sessionmaker[Session], job_id: int) -> Job:
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _wait(factory: sessionmaker[Session], job_id: int, done, seconds: float, log: Path) -> Job:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _job(factory, job_id)
        if done(job):
            return job
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not get there; worker log:\n{log.read_text()[-3000:]}")


def _count(session: Session, stmt) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(stmt) or 0)


def test_kill_minus_nine_mid_enrollment_retries_and_applies_nothing_twice(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "jobkill") as url:
        engine = make_engine(url)
        upgrade(engine)
        factory = make_sessionmaker(engine)
        with factory() as session:
            load_areas(session)
            session.commit()
        load_households(engine, HOUSEHOLDS, seed=13)
        with factory() as session:
            country = session.scalar(select(Area).where(Area.level == AreaLevel.COUNTRY))
            make_program(session, country)
            session.commit()
        instance = tmp_path / "instance"
        huey = make_huey(TEST_REDIS_URL, instance)
        huey.flush()
        configure(huey, lambda: factory, instance)
        with factory() as session:
            job_id = submit_job(
                session,
                APPLY,
                {"program": "TST", "today": date.today().isoformat(), "every": EVERY},
                origin=Origin.cli("kill test"),
                scope=Scope.unrestricted(),
            ).id
            session.commit()
        env = kinga_env(url, instance)
        log = tmp_path / "worker.log"
        first = start_kinga(["worker", "--threads", "1"], env, log)
        try:
            running = _wait(factory, job_id, lambda j: j.progress_done >= 2 * EVERY, 120, log)
            first.send_signal(signal.SIGSTOP)  # frozen where it is, then killed without warning
            frozen = _job(factory, job_id)
            assert frozen.state == "running", "the job finished before the kill; make it longer"
        finally:
            first.kill()
            first.wait(timeout=30)
        total = running.progress_total
        assert total and frozen.progress_done < total
        with factory() as session:
            partial = _count(session, select(func.count(Enrollment.id)))
        assert EVERY <= partial < total  # committed checkpoints survived the kill
        assert _job(factory, job_id).state == "running"  # until a worker notices

        second = start_kinga(["worker", "--threads", "1"], env, log)
        try:
            finished = _wait(factory, job_id, lambda j: j.finished, 180, log)
        finally:
            second.terminate()
            second.wait(timeout=30)
        assert finished.state == "done", finished.error
        assert finished.attempts == 2
        assert finished.result and finished.result["evaluated"] == total
        with factory() as session:
            enrollments = _count(session, select(func.count(Enrollment.id)))
            assert enrollments == total
            twice = session.execute(
                select(EnrollmentEvent.enrollment_id)
                .where(EnrollmentEvent.kind == "decision")
                .group_by(EnrollmentEvent.enrollment_id)
                .having(func.count() > 1)
            ).all()
            assert twice == []
            decided = _count(
                session,
                select(func.count(func.distinct(EnrollmentEvent.enrollment_id))).where(
                    EnrollmentEvent.kind == "decision"
                ),
            )
            assert decided == total
            sms_twice = session.execute(
                select(OutboxMessage.related_id)
                .where(OutboxMessage.related_type == "enrollment")
                .group_by(OutboxMessage.related_id)
                .having(func.count() > 1)
            ).all()
            assert sms_twice == []
            assert _count(session, select(func.count(OutboxMessage.id))) > 0
            actions = list(
                session.scalars(
                    select(AuditEvent.action).where(
                        AuditEvent.action.in_(["enrollment.apply", "job.retried", "job.done"])
                    )
                )
            )
            assert sorted(actions) == ["enrollment.apply", "job.done", "job.retried"]
        engine.dispose()
