"""USSD under load: 50 concurrent simulated sessions through gunicorn, against a registry of
250,000 households in a scratch SQLite database.

    .venv/bin/python -m benchmarks.ussd [--households 250000] [--seconds 60] [--sessions 50]

Measures each step's latency (p50, p99) and the throughput, then the throughput of a bare
Flask endpoint returning a constant `CON` screen on the same gunicorn settings. Targets:
p99 under 50 ms, at least half the bare endpoint's throughput. Writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.report import write_section

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCRATCH = Path("/tmp/kinga-ussd-bench")
CALLBACK_TOKEN = secrets.token_urlsafe(16)  # the gateway's secret path segment, per run
SERVICE_CODE = "*384*123#"


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sessions: int = 0
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, seconds: float) -> None:
        with self.lock:
            self.latencies[step].append(seconds)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KINGA_DATABASE_URL": f"sqlite:///{db}",
        "KINGA_INSTANCE_DIR": str(db.parent),
        "KINGA_DEMO": "0",
        "KINGA_DEMO_PASSWORD": "bench-" + "x" * 10,
        "KINGA_SMS_PROVIDER": "memory",
        "KINGA_AT_CALLBACK_TOKEN": CALLBACK_TOKEN,
    }


def prepare(db: Path, households: int) -> None:
    """The scratch registry: migrated, with `households` demo households (loaded once)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    env = bench_env(db)
    subprocess.run([str(BIN / "kinga"), "db", "upgrade"], env=env, check=True, timeout=300)
    with sqlite3.connect(db) as connection:
        have = connection.execute("SELECT count(*) FROM households").fetchone()[0]
    if have < households:
        subprocess.run(
            [str(BIN / "kinga"), "demo", "--households", str(households - have), "--quiet"],
            env={**env, "KINGA_DEMO": "1"},
            check=True,
            timeout=1800,
        )


def sample_targets(db: Path, count: int) -> tuple[list[tuple[str, int]], list[str]]:
    """Household numbers with their head's birth year, and phones of one-household heads."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT h.number, p.birth_year, p.phone FROM households h JOIN persons p "
            "ON p.household_id = h.id AND p.relation = 'head' ORDER BY random() LIMIT ?",
            (count,),
        ).fetchall()
    numbers = [(number, year) for number, year, _ in rows]
    phones = [phone for _, _, phone in rows if phone]
    return numbers, phones


class Phone:
    """One simulated caller: a keep-alive connection and the Africa's Talking form fields."""

    def __init__(self, port: int, results: Results) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        self.results = results

    def session(self, phone: str, steps: list[tuple[str, str]]) -> None:
        session_id = f"bench-{random.getrandbits(64):x}"
        inputs: list[str] = []
        for label, value in [("dial", ""), *steps]:
            if label != "dial":
                inputs.append(value)
            body = urlencode(
                {
                    "sessionId": session_id,
                    "serviceCode": SERVICE_CODE,
                    "phoneNumber": phone,
                    "networkCode": "63902",
                    "text": "*".join(inputs),
                }
            )
            started = time.perf_counter()
            try:
                self.connection.request(
                    "POST",
                    f"/ussd/africastalking/{CALLBACK_TOKEN}",
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded"},
                )
                response = self.connection.getresponse()
                text = response.read().decode()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                with self.results.lock:
                    self.results.errors += 1
                return
            elapsed = time.perf_counter() - started
            if response.status != 200 or not text.startswith(("CON ", "END ")) or len(text) > 182:
                with self.results.lock:
                    self.results.errors += 1
                return
            self.results.add(label, elapsed)
            if text.startswith("END "):
                break
        with self.results.lock:
            self.results.sessions += 1


def random_phone() -> str:
    return "+2547" + "".join(random.choice("0123456789") for _ in range(8))


def session_plan(
    kind: int, numbers: list[tuple[str, int]], phones: list[str]
) -> tuple[str, list[tuple[str, str]]]:
    """Four kinds of session, in turn: status by phone, by number and year, register, menus."""
    if kind == 0 and phones:
        return random.choice(phones), [("status_by_phone", "2"), ("main_menu", "00")]
    if kind == 1:
        number, year = random.choice(numbers)
        return random_phone(), [
            ("language", "1"),
            ("menu", "2"),
            ("status_number", number),
            ("status_lookup", str(year)),
        ]
    if kind == 2:
        answers = [
            ("language", "1"),
            ("menu", "1"),
            ("form_step", "Amina"),
            ("form_step", "Otieno"),
            ("form_step", "1"),
            ("form_step", "1980"),
            ("form_step", "2"),
            ("form_step", "2"),
            ("form_area", "1"),
            ("form_area", "1"),
            ("form_area", "1"),
            ("form_step", "0"),
            ("form_step", "1"),
            ("register_confirm", "1"),
        ]
        return random_phone(), answers
    return random_phone(), [
        ("language", "2"),
        ("menu", "5"),
        ("language", "3"),
        ("menu", "4"),
        ("back", "0"),
    ]


def run_load(port: int, seconds: float, concurrency: int, plan) -> Results:  # type: ignore[no-untyped-def]
    results = Results()
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        phone = Phone(port, results)
        kind = index
        while time.monotonic() < deadline:
            number, steps = plan(kind % 4)
            phone.session(number, steps)
            kind += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    results.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return results


def start_gunicorn(app: str, port: int, env: dict[str, str], workers: int, threads: int):  # type: ignore[no-untyped-def]
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop(process) -> None:  # type: ignore[no-untyped-def]
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(args: argparse.Namespace, ussd: Results, bare: Results) -> str:
    throughput = ussd.requests / ussd.elapsed  # type: ignore[attr-defined]
    bare_throughput = bare.requests / bare.elapsed  # type: ignore[attr-defined]
    every = [v for values in ussd.latencies.values() for v in values]
    lines = [
        f"Registry: {args.households:,} households in a scratch SQLite database "
        f"({'Redis' if args.redis else 'SQL'} key-value store). {args.sessions} concurrent "
        f"sessions for {args.seconds:.0f} s through gunicorn (gthread, {args.workers} workers "
        f"x {args.threads} threads) on 127.0.0.1; the load generator runs on the same machine.",
        "",
        "| step | requests | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for step, values in sorted(ussd.latencies.items()):
        lines.append(
            f"| {step} | {len(values):,} | {percentile(values, 0.5):.1f} | "
            f"{percentile(values, 0.99):.1f} |"
        )
    lines += [
        f"| **all steps** | {len(every):,} | {percentile(every, 0.5):.1f} | "
        f"{percentile(every, 0.99):.1f} |",
        "",
        "| | requests/s | sessions completed | errors |",
        "| --- | ---: | ---: | ---: |",
        f"| USSD endpoint | {throughput:.0f} | {ussd.sessions:,} | {ussd.errors} |",
        f"| bare Flask constant `CON` | {bare_throughput:.0f} | | {bare.errors} |",
        "",
        f"Throughput ratio: {throughput / bare_throughput:.2f} of the bare endpoint "
        f"(target >= 0.5). p99 over all steps: {percentile(every, 0.99):.1f} ms (target < 50).",
        "",
        "Median of all steps: "
        f"{statistics.median(every) * 1000:.1f} ms. Each session is one of: status by the "
        "caller's phone, status by household number and birth year (a rate-limited lookup), "
        "a whole registration through the forms engine (writes a household, its audit event "
        "and its SMS receipt), menu and language changes.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", type=Path, default=SCRATCH / "bench.db")
    parser.add_argument("--redis", default=None, help="a Redis URL for the key-value store")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()

    prepare(args.db, args.households)
    numbers, phones = sample_targets(args.db, 20_000)
    env = bench_env(args.db)
    if args.redis:
        env["KINGA_REDIS_URL"] = args.redis

    def plan(kind: int):  # type: ignore[no-untyped-def]
        return session_plan(kind, numbers, phones)

    port = free_port()
    server = start_gunicorn("wsgi:app", port, env, args.workers, args.threads)
    try:
        ussd = run_load(port, args.seconds, args.sessions, plan)
    finally:
        stop(server)
    port = free_port()
    server = start_gunicorn("benchmarks.bare_ussd:app", port, env, args.workers, args.threads)
    try:
        bare = run_load(port, args.seconds, args.sessions, lambda kind: ("+254700000000", []))
    finally:
        stop(server)
    markdown = report(args, ussd, bare)
    print(markdown)
    if not args.no_report:
        if args.redis:
            write_section("ussd-redis", "USSD sessions, Redis key-value store (issue 5)", markdown)
        else:
            write_section("ussd", "USSD sessions (issue 5)", markdown)


if __name__ == "__main__":
    main()
