"""A national payment cycle: entitlements for 250,000 enrolled households generated, the payment
list exported, and the provider's results file reconciled, each timed on its own.

    .venv/bin/python -m benchmarks.payments [--households 250000] [--db FILE]

The scratch registry is made with `kinga db upgrade` and `kinga demo --households N` when it does
not exist yet; every household is then enrolled in the child grant (CG) with a fixed amount.
Each step runs through the same service and the same checkpoint (a commit per chunk) that its
job runs. Only expected answers count: the entitlements, rows and matches are checked against
the registry before a figure is written. Results go to docs/benchmarks.md (section "payments").
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import registry.models  # noqa: F401  (every table, for foreign keys)
from benchmarks.eligibility import ensure_registry
from benchmarks.report import write_section
from registry.db import make_engine, utcnow
from registry.households.models import Household
from registry.jobs import Job, JobState, submit_job
from registry.jobs.context import job_files_dir
from registry.jobs.queue import configure, make_huey
from registry.jobs.runner import run_job
from registry.origin import Origin
from registry.payments.approval import approve_cycle
from registry.payments.cycles import open_cycle
from registry.payments.jobs import EXPORT, GENERATE, RECONCILE
from registry.payments.models import (
    Entitlement,
    PaymentCycle,
    PaymentEvent,
    ReconciliationImport,
)
from registry.payments.picture import money_picture
from registry.programs.models import Enrollment, EnrollmentStatus, Program
from registry.programs.service import get_program
from registry.scope import Scope
from registry.users.models import User

AMOUNT = Decimal("800.00")
PERIOD = "2026-05"


def enroll_everyone(session: Session, program: Program) -> int:
    """Every household enrolled in the program at one amount (no rules needed for a benchmark)."""
    session.execute(delete(Enrollment).where(Enrollment.program_id == program.id))
    now = utcnow()
    columns = select(
        Household.id,
        literal(program.id),
        literal(EnrollmentStatus.ENROLLED.value),
        literal("eligible"),
        literal(AMOUNT),
        literal("[]"),
        literal(False),
        literal(now),
        literal("benchmark"),
        literal(now),
        literal("benchmark"),
    )
    session.execute(
        insert(Enrollment).from_select(
            [
                "household_id",
                "program_id",
                "status",
                "decision",
                "amount",
                "reason",
                "overridden",
                "decided_at",
                "decided_by",
                "status_changed_at",
                "status_changed_by",
            ],
            columns,
        )
    )
    session.commit()
    return (
        session.scalar(select(func.count(Enrollment.id)).where(Enrollment.program_id == program.id))
        or 0
    )


def clear_cycles(session: Session, program: Program) -> None:
    cycles = select(PaymentCycle.id).where(PaymentCycle.program_id == program.id)
    entitlements = select(Entitlement.id).where(Entitlement.cycle_id.in_(cycles))
    session.execute(delete(PaymentEvent).where(PaymentEvent.entitlement_id.in_(entitlements)))
    session.execute(delete(ReconciliationImport).where(ReconciliationImport.cycle_id.in_(cycles)))
    session.execute(delete(Entitlement).where(Entitlement.cycle_id.in_(cycles)))
    session.execute(delete(PaymentCycle).where(PaymentCycle.program_id == program.id))
    session.commit()


def results_file(export: Path, out: Path, rng: random.Random) -> dict[str, int]:
    """A provider's answer: most paid, 1% failed, 0.5% short, plus duplicates and strangers."""
    expected = {"failed": 0, "partly": 0, "duplicates": 0, "unknown": 0, "rows": 0}
    with export.open() as source, out.open("w", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["reference", "status", "amount", "paid_at", "provider_reference"])
        for i, row in enumerate(csv.DictReader(source)):
            draw = rng.random()
            if draw < 0.01:
                writer.writerow([row["reference"], "failed", "0", "", ""])
                expected["failed"] += 1
            elif draw < 0.015:
                short = Decimal(row["amount"]) - 100
                writer.writerow([row["reference"], "paid", f"{short:.2f}", "2026-05-03", f"P{i}"])
                expected["partly"] += 1
            else:
                writer.writerow([row["reference"], "paid", row["amount"], "2026-05-03", f"P{i}"])
            expected["rows"] += 1
            if i % 1000 == 7:
                writer.writerow([row["reference"], "paid", row["amount"], "2026-05-03", f"P{i}"])
                expected["duplicates"] += 1
        for j in range(50):
            writer.writerow([f"C0-UNKNOWN{j}", "paid", "1.00", "2026-05-03", f"X{j}"])
            expected["unknown"] += 1
    return expected


def as_job(
    engine: Engine, files: Path, kind: str, params: dict[str, Any]
) -> tuple[float, float, dict[str, Any]]:
    """Submits the job and runs it through the job runner; wall and CPU seconds, its result."""
    make_session = sessionmaker(engine)
    with make_session() as session:
        job = submit_job(
            session,
            kind,
            params,
            origin=Origin.system("benchmark"),
            scope=Scope.unrestricted(),
        )
        session.commit()
        job_id = job.id
    started, cpu = time.perf_counter(), time.process_time()
    state = run_job(make_session, job_id, files_base=files, heartbeat=False)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    with make_session() as session:
        finished = session.get(Job, job_id)
        assert finished is not None and state == JobState.DONE, (state, finished.error)
        return seconds, cpu_seconds, {"job": job_id, **(finished.result or {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/kinga-bench/payments.db"))
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    ensure_registry(args.db, args.households)
    engine = make_engine(f"sqlite:///{args.db}")
    origin = Origin.system("benchmark")
    work = args.db.parent / "payments-files"
    work.mkdir(exist_ok=True)
    files = args.db.parent / "payments-jobs"
    configure(make_huey(None, work, memory=True), lambda: sessionmaker(engine), files)
    load = os.getloadavg()
    with Session(engine) as session:
        program = get_program(session, "CG")
        program.status = "active"
        clear_cycles(session, program)
        enrolled = enroll_everyone(session, program)
        cycle = open_cycle(session, program, PERIOD, area=None, funding_source=None, origin=origin)
        session.commit()

        generate_seconds, generate_cpu, result = as_job(
            engine, files, GENERATE, {"cycle_id": cycle.id}
        )
        session.commit()  # a fresh snapshot: the job wrote in its own session
        households = int(result["households"])
        assert households == enrolled, (households, enrolled)
        assert cycle.total_amount == AMOUNT * enrolled

        finance = session.scalar(select(User).where(User.username == "demo-finance-1"))
        assert finance is not None, "the demo has a finance officer"
        approve_cycle(
            session,
            cycle,
            approver_id=finance.id,
            roles=finance.roles,
            scope=Scope.unrestricted(),
            origin=origin,
            override_reason="Benchmark: the demo budget is smaller than a national cycle",
        )
        session.commit()

        export_seconds, export_cpu, exported = as_job(
            engine, files, EXPORT, {"cycle_id": cycle.id, "format": "csv", "masked": False}
        )
        assert exported["rows"] == enrolled
        assert Decimal(exported["total"]) == AMOUNT * enrolled
        listing = job_files_dir(files, exported["job"]) / exported["file"]

        answers = work / "results.csv"
        expected = results_file(listing, answers, random.Random(14))
        params = {"cycle_id": cycle.id, "file": str(answers), "filename": answers.name}
        reconcile_seconds, reconcile_cpu, report = as_job(engine, files, RECONCILE, params)
        assert report["matched"] == enrolled
        assert report["failed"] == expected["failed"]
        assert report["partly_paid"] == expected["partly"]
        assert report["duplicates"] == expected["duplicates"]
        assert report["unknown"] == expected["unknown"]

        session.commit()
        started, cpu = time.perf_counter(), time.process_time()
        picture = money_picture(session, program, year=2026, scope=Scope.unrestricted())
        picture_seconds = time.perf_counter() - started
        picture_cpu = time.process_time() - cpu
        committed = picture.total("committed")
        assert committed == AMOUNT * enrolled
        assert committed == (
            picture.total("paid") + picture.total("failed") + picture.total("uncollected")
        )
        total = cycle.total_amount
    rows = [
        ("generate entitlements (job)", generate_seconds, generate_cpu, enrolled),
        ("export payment list, CSV + SHA-256 manifest (job)", export_seconds, export_cpu, enrolled),
        ("reconcile the results file (job)", reconcile_seconds, reconcile_cpu, report["rows"]),
        ("money picture (regions x funders)", picture_seconds, picture_cpu, enrolled),
    ]
    lines = [
        f"Registry: {enrolled:,} households enrolled in CG at {AMOUNT} KES (demo data, SQLite). "
        f"Load average when the run started: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1 / 5 / 15 min) on a machine shared with other work.",
        "",
        "| step | seconds (wall) | CPU seconds | rows | rows/s | within 60 s |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for name, seconds, cpu, count in rows:
        lines.append(
            f"| {name} | {seconds:.1f} | {cpu:.1f} | {count:,} | {count / seconds:,.0f} | "
            f"{'yes' if seconds <= 60 else 'NO'} |"
        )
    lines += [
        "",
        f"Checked before writing: {households:,} entitlements totalling "
        f"{total:,.2f} KES; {exported['rows']:,} rows exported (sha256 "
        f"`{exported['sha256'][:16]}…`); the results file of {report['rows']:,} rows matched "
        f"{report['matched']:,}, with {report['failed']:,} failed, {report['partly_paid']:,} "
        f"partly paid (amount mismatches {report['mismatches']:,}), {report['duplicates']:,} "
        f"duplicate rows and {report['unknown']:,} unknown references, as generated; the money "
        "picture adds up to the cent.",
        "",
        "Generation, export and reconciliation each run as a job (submitted, then run by the "
        "job runner a `kinga worker` uses, with its checkpoints); wall seconds include waiting "
        "for the CPU on the shared machine, CPU seconds are this process's own. Reproduce with "
        "`.venv/bin/python -m benchmarks.payments`.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_report:
        write_section("payments", "Payments (`benchmarks/payments.py`)", body)


if __name__ == "__main__":
    main()
