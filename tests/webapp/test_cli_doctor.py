"""`kinga doctor`: one line per check, non-zero when something an officer must fix is wrong."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import update

from registry.db import make_engine, make_sessionmaker, utcnow
from registry.outbox.models import OutboxMessage
from registry.outbox.service import queue_text
from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/doctor.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }


def _lines(output: str) -> dict[str, str]:
    return {line.split()[1]: line.split()[0] for line in output.splitlines() if line.strip()}


def test_doctor_passes_then_names_what_is_wrong(tmp_path: Path) -> None:
    runner, env = CliRunner(), _env(tmp_path)
    unmigrated = runner.invoke(main, ["doctor"], env=env)
    assert unmigrated.exit_code == 1 and _lines(unmigrated.output)["migrations"] == "FAIL"
    runner.invoke(main, ["db", "upgrade"], env=env)
    runner.invoke(main, ["keys", "rotate"], env=env)
    healthy = runner.invoke(main, ["doctor"], env=env)
    statuses = _lines(healthy.output)
    assert healthy.exit_code == 0, healthy.output
    assert set(statuses) >= {
        "database",
        "migrations",
        "redis",
        "job",
        "outbox",
        "keys",
        "disk",
        "clock",
    }
    assert statuses["database"] == statuses["migrations"] == statuses["keys"] == "ok"
    assert statuses["job"] == "warn"  # no worker seen, nothing waiting: not yet a failure
    runner.invoke(main, ["worker", "--once"], env=env)
    assert "a worker was alive" in runner.invoke(main, ["doctor"], env=env).output

    engine = make_engine(env["KINGA_DATABASE_URL"])
    with make_sessionmaker(engine)() as session:
        queue_text(session, to_phone="+254712345678", language="en", body="x", template="t")
        session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=1)))
        session.commit()
    engine.dispose()
    stuck = runner.invoke(main, ["doctor"], env=env)
    assert stuck.exit_code == 1 and _lines(stuck.output)["outbox"] == "FAIL"
    assert "SMS stopped" in stuck.output

    (tmp_path / "instance" / "keys").chmod(0o755)
    loose = runner.invoke(main, ["doctor"], env=env)
    # The app itself refuses to start with open keys; doctor reports it and fails.
    assert loose.exit_code != 0
    assert "chmod 700" in loose.output + str(loose.exception)
