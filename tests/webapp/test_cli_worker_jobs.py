"""`kinga worker` takes jobs off the real huey queue (SQLite storage under instance/)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from huey import SqliteHuey
from sqlalchemy import select

from registry.db import make_engine, make_sessionmaker
from registry.jobs import Job, submit_job
from registry.jobs.queue import config, make_huey
from registry.migrate import upgrade
from registry.origin import Origin
from registry.scope import Scope
from tests.registry.jobs import bodies  # noqa: F401  (registers the test job kinds)
from webapp.cli import main


def test_worker_once_runs_what_was_queued_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/jobs.db"
    env = {
        "KINGA_DATABASE_URL": url,
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }
    engine = make_engine(url)
    upgrade(engine)
    huey = make_huey(None, tmp_path / "instance")
    assert isinstance(huey, SqliteHuey)
    from registry.jobs.queue import configure

    factory = make_sessionmaker(engine)
    configure(huey, lambda: factory, tmp_path / "instance")
    with factory() as session:
        job_id = submit_job(
            session,
            "tests.mark_items",
            {"items": 3},
            origin=Origin.cli(),
            scope=Scope.unrestricted(),
        ).id
        assert config().huey.pending_count() == 0  # not before the commit
        session.commit()
    assert huey.pending_count() == 1
    result = CliRunner().invoke(main, ["worker", "--once"], env=env)
    assert result.exit_code == 0, result.output
    assert "handled 1" in result.output
    with factory() as session:
        job = session.scalar(select(Job).where(Job.id == job_id))
        assert job.state == "done" and job.result == {"marked": 3, "items": 3}
        assert (tmp_path / "instance" / "jobs" / str(job_id) / "marked.csv").exists()
    assert huey.pending_count() == 0
