"""`kinga payments cycle|approve|export|reconcile|picture` as the contract states them."""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }


def test_cycle_approve_export_reconcile(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo", "--households", "150", "--quiet"], env=env).exit_code == 0

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["payments", *args], env=env)

    bad = run("cycle", "--program", "CG", "--period", "2026-13")
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
    made = run("cycle", "--program", "CG", "--period", "2026-03", "--user", "demo-finance-1")
    assert made.exit_code == 0, made.output
    cycle_id = made.stdout.strip().splitlines()[0]
    assert cycle_id.isdigit()
    refused = run("approve", "--cycle", cycle_id, "--user", "demo-finance-1")
    assert refused.exit_code != 0 and "prepared" in refused.output
    other = run("cycle", "--program", "CG", "--period", "2026-04", "--user", "demo-manager")
    other_id = other.stdout.strip().splitlines()[0]
    approved = run("approve", "--cycle", other_id, "--user", "demo-finance-1")
    assert approved.exit_code == 0, approved.output
    out = tmp_path / "list.csv"
    exported = run("export", "--cycle", other_id, "--format", "csv", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    manifest = json.loads((tmp_path / "list.csv.manifest.json").read_text())
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    rows = list(csv.DictReader(out.open()))
    assert rows and set(rows[0]) >= {
        "reference",
        "household_number",
        "payee_name",
        "phone",
        "amount",
        "currency",
        "area",
    }
    xlsx = run("export", "--cycle", other_id, "--format", "xlsx", "--out", str(tmp_path / "l.xlsx"))
    assert xlsx.exit_code == 0 and (tmp_path / "l.xlsx").stat().st_size > 0
    # A malformed results file: non-zero exit, the line and the reason, nothing applied.
    malformed = tmp_path / "bad.csv"
    malformed.write_text(
        "reference,status,amount,paid_at,provider_reference\n"
        f"{rows[0]['reference']},paid,{rows[0]['amount']},2026-04-02,X1\n"
        f"{rows[1]['reference']},paid,lots,2026-04-02,X2\n"
    )
    result = run("reconcile", "--cycle", other_id, str(malformed))
    assert (
        result.exit_code != 0 and "Line 3" in result.output and "nothing applied" in result.output
    )
    results = tmp_path / "results.csv"
    with results.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reference", "status", "amount", "paid_at", "provider_reference"])
        for i, row in enumerate(rows):
            status = "failed" if i == 1 else "paid"
            amount = "0" if i == 1 else row["amount"]
            if i == 2:
                amount = str(Decimal(row["amount"]) - 100)
            writer.writerow([row["reference"], status, amount, "2026-04-02", f"P{i}"])
        writer.writerow([rows[0]["reference"], "paid", rows[0]["amount"], "2026-04-02", "P0"])
        writer.writerow(["C0-NOBODY", "paid", "5", "2026-04-02", "P"])
    first = run("reconcile", "--cycle", other_id, str(results))
    assert first.exit_code == 0, first.output
    assert f"matched {len(rows)}" in first.output and "failed 1" in first.output
    assert "amount mismatches 1" in first.output and "unknown references 1" in first.output
    assert "duplicate rows 1" in first.output
    second = run("reconcile", "--cycle", other_id, str(results))
    assert "nothing changed" in second.output
    picture = run("picture", "--program", "CG", "--year", "2026")
    lines = list(csv.DictReader(picture.stdout.splitlines()))
    committed = sum(Decimal(r["committed"]) for r in lines)
    assert committed == Decimal(manifest["total"])
    paid = sum(Decimal(r["paid"]) for r in lines)
    assert paid == sum(Decimal(r["amount"]) for r in rows) - Decimal(rows[1]["amount"]) - 100
