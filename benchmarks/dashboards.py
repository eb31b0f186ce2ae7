"""Dashboard pages at 25,000 and 250,000 households: time per page, and time of the refresh.

    .venv/bin/python -m benchmarks.dashboards [--sizes 25000 250000] [--rounds 8]

Each size gets a scratch SQLite registry under /tmp/kinga-bench/ (made with `kinga db upgrade`
and `kinga demo --households N` when missing). The month is refreshed once (the job's work,
timed), then every dashboard section is requested for the country, a region and a district,
with and without a program, through the real app (Flask test client, logged in as the demo
program manager): the time is the server's whole answer, without a network hop. Only 200
answers with the page's heading count as successes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PASSWORD = "bench password 17"  # noqa: S105 - the scratch registry's demo users
SECTIONS = ("registration", "targeting", "money", "grievances", "selfservice", "quality")


def ensure_registry(database: Path, households: int) -> None:
    if database.exists():
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        KINGA_DATABASE_URL=f"sqlite:///{database}",
        KINGA_INSTANCE_DIR=str(database.parent / "instance"),
        KINGA_DEMO_PASSWORD=PASSWORD,
        KINGA_REDIS_URL="",
    )
    kinga = str(Path(sys.executable).with_name("kinga"))
    subprocess.run([kinga, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([kinga, "demo", "--households", str(households), "--quiet"], env=env, check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(database: Path, rounds: int, refresh: bool) -> dict[str, object]:
    os.environ.update(
        KINGA_DATABASE_URL=f"sqlite:///{database}",
        KINGA_INSTANCE_DIR=str(database.parent / "instance"),
        KINGA_REDIS_URL="",
        KINGA_DEMO="0",
    )
    from sqlalchemy import func, select, text

    from registry.areas.models import Area
    from registry.db import utcnow
    from registry.households.models import Household
    from registry.indicators.models import IndicatorSnapshot
    from registry.indicators.periods import Period
    from registry.indicators.refresh import refresh_period
    from registry.origin import Origin
    from registry.programs.models import Program
    from webapp import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    maker = app.extensions["kinga"].sessionmaker
    period = Period.of(utcnow())
    with maker() as session:
        households = int(session.scalar(select(func.count(Household.id))) or 0)
        started = time.perf_counter()
        if refresh:
            refresh_period(session, period, origin=Origin.cli("bench"))
            session.commit()
        refresh_seconds = time.perf_counter() - started
        if refresh:
            # A fresh scratch registry carries a large write-ahead log from its bulk load; a
            # running server checkpoints it long before anyone reads a dashboard.
            session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        snapshot_rows = int(session.scalar(select(func.count(IndicatorSnapshot.id))) or 0)
        region = session.scalar(select(Area).where(Area.level == 1).order_by(Area.code))
        district = session.scalar(
            select(Area).where(Area.level == 2, Area.parent_id == region.id).order_by(Area.code)  # type: ignore[union-attr]
        )
        program = session.scalar(select(Program.code).order_by(Program.code))
    assert region is not None and district is not None
    client = app.test_client()
    login = client.post("/login", data={"username": "demo-manager", "password": PASSWORD})
    assert login.status_code == 302, "demo-manager could not log in"
    urls = [
        f"/dashboards/?area={area}&section={section}&period={period}"
        + (f"&program={program}" if with_program and program else "")
        for area in ("", region.code, district.code)
        for section in SECTIONS
        for with_program in (False, True)
    ]
    times: list[float] = []
    errors = 0
    for url in urls:  # one warm-up pass
        client.get(url)
    for _ in range(rounds):
        for url in urls:
            began = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - began
            if response.status_code == 200 and b'<svg class="chart"' in response.data:
                times.append(elapsed)
            elif not (response.status_code == 200 and b"<h1>" in response.data):
                errors += 1
            else:
                times.append(elapsed)  # a section with no chart (money for all programs)
    return {
        "households": households,
        "refresh": refresh_seconds,
        "rows": snapshot_rows,
        "errors": errors,
        "times": times,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 250_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # one size, in a child
    parser.add_argument("--refresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.rounds, args.refresh)))
        return
    databases = {size: Path(f"/tmp/kinga-bench/dashboards-{size}.db") for size in args.sizes}
    for size, database in databases.items():
        ensure_registry(database, size)
    pooled: dict[int, dict[str, Any]] = {}
    # The sizes take turns, pass after pass, so that both meet the same load on a shared
    # machine; each pass runs in a fresh process (no cache carries over).
    for number in range(args.passes):
        for size, database in databases.items():
            command = [sys.executable, "-m", "benchmarks.dashboards", "--measure", str(database)]
            command += ["--rounds", str(args.rounds)] + (["--refresh"] if number == 0 else [])
            child = subprocess.run(command, capture_output=True, text=True, check=True)
            answer = json.loads(child.stdout.strip().splitlines()[-1])
            entry = pooled.setdefault(size, {"times": [], "errors": 0})
            entry["times"] += answer["times"]
            entry["errors"] += answer["errors"]
            entry["households"], entry["rows"] = answer["households"], answer["rows"]
            if number == 0:
                entry["refresh"] = answer["refresh"]
            print(size, number, len(answer["times"]), flush=True)
    results = []
    for entry in pooled.values():
        times = entry["times"]
        results.append(
            {
                **entry,
                "requests": len(times) + entry["errors"],
                "p50": statistics.median(times) * 1000,
                "p95": percentile(times, 0.95) * 1000,
                "max": max(times) * 1000,
            }
        )
    load = os.getloadavg()
    lines = [
        f"The two sizes take turns ({args.passes} passes, each in a fresh process), so that "
        "both meet the same machine load. Every dashboard section for the country, a region "
        "and a district, with and without a program, through the real app (Flask test client, "
        "logged in as the demo program manager; no network hop), SQLite. Pages read the "
        "month's snapshots only; the refresh is the job that counts the registry.",
        "",
        "| households | refresh job (s) | snapshot rows | page requests | errors | p50 (ms) | "
        "p95 (ms) | max (ms) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['households']:,} | {r['refresh']:.1f} | {r['rows']:,} | {r['requests']:,} | "
            f"{r['errors']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} |"
        )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        lines += [
            "",
            f"At {large['households']:,} households against {small['households']:,}: p50 "
            f"{large['p50'] / small['p50']:.2f}x, p95 {large['p95'] / small['p95']:.2f}x "
            f"(target: p95 within 1 s and not growing with the registry). "
            f"The refresh grows with the registry: "
            f"{large['refresh'] / small['refresh']:.1f}x for "
            f"{large['households'] / small['households']:.0f}x the households.",
        ]
    lines += [
        "",
        f"Load average while measuring (1, 5, 15 min): {load[0]:.2f}, {load[1]:.2f}, "
        f"{load[2]:.2f} on a machine shared with other work. Reproduce with "
        "`.venv/bin/python -m benchmarks.dashboards --write`.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section("dashboards", "Dashboards (`benchmarks/dashboards.py`)", text)


if __name__ == "__main__":
    main()
