"""`kinga db upgrade|check|downgrade`: forward only, safe to repeat, clear about what it refuses."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from registry.db import make_engine
from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/db.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }


def test_check_says_empty_behind_current_and_ahead(tmp_path: Path) -> None:
    runner, env = CliRunner(), _env(tmp_path)
    empty = runner.invoke(main, ["db", "check"], env=env)
    assert empty.exit_code == 1 and "empty" in empty.output
    partial = runner.invoke(main, ["db", "upgrade", "--revision", "0001"], env=env)
    assert partial.exit_code == 0, partial.output
    behind = runner.invoke(main, ["db", "check"], env=env)
    assert behind.exit_code == 1 and "behind" in behind.output and "0013_jobs" in behind.output
    first = runner.invoke(main, ["db", "upgrade"], env=env)
    assert first.exit_code == 0 and "migration(s) applied" in first.output
    again = runner.invoke(main, ["db", "upgrade"], env=env)
    assert again.exit_code == 0 and "nothing to do" in again.output
    current = runner.invoke(main, ["db", "check"], env=env)
    assert current.exit_code == 0 and current.output.startswith("up to date")
    # An older revision asked for: nothing happens (never backwards).
    older = runner.invoke(main, ["db", "upgrade", "--revision", "0001"], env=env)
    assert older.exit_code == 0 and "nothing to do" in older.output
    engine = make_engine(env["KINGA_DATABASE_URL"])
    with engine.begin() as connection:  # as if a newer Kinga had migrated it
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    ahead = runner.invoke(main, ["db", "check"], env=env)
    assert ahead.exit_code == 2 and "ahead" in ahead.output and "0099_future" in ahead.output
    refused = runner.invoke(main, ["db", "upgrade"], env=env)
    assert refused.exit_code == 2 and "Downgrades are not supported" in refused.output


def test_downgrade_is_refused_with_the_way_back(tmp_path: Path) -> None:
    runner, env = CliRunner(), _env(tmp_path)
    runner.invoke(main, ["db", "upgrade"], env=env)
    refused = runner.invoke(main, ["db", "downgrade", "0001"], env=env)
    assert refused.exit_code == 2
    assert "does not downgrade" in refused.output and "kinga restore" in refused.output
    assert runner.invoke(main, ["db", "check"], env=env).exit_code == 0
