"""`kinga audit verify|checkpoint` and `kinga retention run` against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }


def _user(runner: CliRunner, env: dict[str, str], name: str) -> None:
    args = ["users", "create", "--username", name, "--name", name, "--role", "auditor"]
    result = runner.invoke(main, [*args, "--area", "KG", "--password", "long enough pw"], env=env)
    assert result.exit_code == 0, result.output


def test_verify_checkpoint_then_tamper(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo", "--households", "20", "--quiet"], env=env).exit_code == 0
    _user(runner, env, "alice")
    ok = runner.invoke(main, ["audit", "verify"], env=env)
    assert ok.exit_code == 0 and ok.output.startswith("audit log ok"), ok.output

    kept = tmp_path / "kept-by-auditor.json"
    signed = runner.invoke(main, ["audit", "checkpoint", "--out", str(kept)], env=env)
    assert signed.exit_code == 0, signed.output
    checkpoint = json.loads(kept.read_text())
    assert (tmp_path / "instance" / "audit-checkpoints" / "latest.json").exists()
    _user(runner, env, "bob")  # the log keeps growing after the checkpoint
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(kept)], env=env)
    assert result.exit_code == 0 and "checkpoint seq" in result.output, result.output

    with sqlite3.connect(tmp_path / "cli.db") as db:
        db.execute("DELETE FROM audit_events WHERE seq >= ?", (checkpoint["seq"] - 1,))
    truncated = runner.invoke(main, ["audit", "verify", "--checkpoint", str(kept)], env=env)
    assert truncated.exit_code == 1
    assert truncated.output.strip().splitlines()[-1].endswith("truncated")

    with sqlite3.connect(tmp_path / "cli.db") as db:
        db.execute("UPDATE audit_events SET actor_name = 'nobody' WHERE seq = 3")
    edited = runner.invoke(main, ["audit", "verify"], env=env)
    assert edited.exit_code == 1
    assert edited.output.strip().splitlines()[-1] == "Error: audit log broken at seq 3: edited"


def test_forged_checkpoint_is_refused(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    runner.invoke(main, ["db", "upgrade"], env=env)
    runner.invoke(main, ["demo", "--households", "5", "--quiet"], env=env)
    _user(runner, env, "alice")
    kept = tmp_path / "cp.json"
    runner.invoke(main, ["audit", "checkpoint", "--out", str(kept)], env=env)
    data = json.loads(kept.read_text())
    data["head_hash"] = "f" * 64
    kept.write_text(json.dumps(data))
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(kept)], env=env)
    assert result.exit_code == 1 and "signature does not verify" in result.output


def test_retention_run_reports(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    runner.invoke(main, ["db", "upgrade"], env=env)
    dry = runner.invoke(main, ["retention", "run", "--dry-run"], env=env)
    assert dry.exit_code == 0 and dry.output.startswith("would remove personal data of 0")
    done = runner.invoke(main, ["retention", "run"], env=env)
    assert done.exit_code == 0 and "0 messages" in done.output
