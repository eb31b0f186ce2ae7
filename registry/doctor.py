"""`kinga doctor`: each thing Kinga needs, checked and said in one line, for an IT officer.

Checks return (status, name, detail); "fail" makes the command exit non-zero, "warn" does not.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from registry.audit.checkpoint import KEY_FILE
from registry.cards.keys import Keyring, KeysUnavailable
from registry.db import utcnow
from registry.kvstore import KeyValueStore
from registry.migrate import schema_status
from registry.monitoring import snapshot

OK, WARN, FAIL = "ok", "warn", "FAIL"
WORKER_SEEN_KEY = "jobs:worker:seen"
OUTBOX_STUCK_SECONDS = 600
JOB_WAIT_SECONDS = 120
CLOCK_DRIFT_SECONDS = 5


@dataclass(frozen=True)
class Check:
    status: str
    name: str
    detail: str


@dataclass
class DoctorContext:
    engine: Engine
    kv: KeyValueStore
    redis_url: str | None
    instance: Path
    keys_dir: Path
    queue_pending: Callable[[], int]


def check_database(ctx: DoctorContext) -> Check:
    with ctx.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Check(OK, "database", f"{ctx.engine.dialect.name} reachable")


def check_migrations(ctx: DoctorContext) -> Check:
    status = schema_status(ctx.engine)
    if status.unknown:
        return Check(
            FAIL, "migrations", f"database ahead of this code ({', '.join(status.unknown)})"
        )
    if status.empty:
        return Check(FAIL, "migrations", "no schema; run `kinga db upgrade`")
    if status.pending:
        return Check(FAIL, "migrations", f"{len(status.pending)} to apply; run `kinga db upgrade`")
    return Check(OK, "migrations", f"up to date ({', '.join(status.current)})")


def check_redis(ctx: DoctorContext) -> Check:
    if not ctx.redis_url:
        return Check(OK, "redis", "not configured: queue and sessions use the database")
    import redis

    redis.Redis.from_url(ctx.redis_url, socket_timeout=2).ping()
    return Check(OK, "redis", "reachable")


def check_workers(ctx: DoctorContext) -> Check:
    seen = ctx.kv.get(WORKER_SEEN_KEY)
    with Session(ctx.engine) as session:
        waiting = snapshot(session, utcnow()).jobs.get("queued", 0)
    pending = ctx.queue_pending()
    if seen is None:
        status = FAIL if waiting else WARN
        return Check(
            status,
            "job workers",
            f"no `kinga worker` seen in the last 2 minutes; {waiting} job(s) waiting",
        )
    age = (utcnow() - datetime.fromisoformat(seen)).total_seconds()
    return Check(OK, "job workers", f"a worker was alive {age:.0f}s ago; {pending} in the queue")


def check_outbox(ctx: DoctorContext) -> Check:
    with Session(ctx.engine) as session:
        snap = snapshot(session, utcnow())
    age = snap.oldest_unsent_seconds
    waiting = snap.sms.get("queued", 0) + snap.sms.get("retrying", 0) + snap.sms.get("sending", 0)
    if age > OUTBOX_STUCK_SECONDS:
        return Check(
            FAIL,
            "outbox",
            f"{waiting} SMS waiting, the oldest for {age / 60:.0f} min: is `kinga sms worker` "
            "running and the provider reachable? (docs/operations.md, 'SMS stopped')",
        )
    return Check(OK, "outbox", f"{waiting} SMS waiting, oldest {age:.0f}s")


def _private(path: Path) -> bool:
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def check_keys(ctx: DoctorContext) -> Check:
    try:
        ring = Keyring(ctx.keys_dir)
        ring.check()
    except KeysUnavailable as exc:
        return Check(FAIL, "keys", str(exc))
    loose = [
        p.name
        for p in [*ctx.keys_dir.glob("*.key"), ctx.instance / KEY_FILE, ctx.instance / "secret_key"]
        if p.exists() and not _private(p)
    ]
    if loose:
        return Check(FAIL, "keys", f"readable by others: {', '.join(loose)} (chmod 600)")
    if not ctx.keys_dir.exists() or not any(ctx.keys_dir.glob("*.key")):
        return Check(
            WARN, "keys", f"no card signing key in {ctx.keys_dir}; run `kinga keys rotate`"
        )
    return Check(OK, "keys", f"card and audit keys private ({ctx.keys_dir})")


def check_disk(ctx: DoctorContext) -> Check:
    usage = shutil.disk_usage(ctx.instance)
    free = usage.free / usage.total if usage.total else 0
    detail = f"{usage.free / 2**30:.1f} GiB free ({free:.0%}) where {ctx.instance} lives"
    if free < 0.10:
        return Check(FAIL, "disk", detail)
    return Check(WARN if free < 0.20 else OK, "disk", detail)


def check_clock(ctx: DoctorContext) -> Check:
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.connect() as connection:
            server = connection.scalar(text("SELECT now()"))
        drift = abs((datetime.now(UTC) - server).total_seconds())
        if drift > CLOCK_DRIFT_SECONDS:
            return Check(FAIL, "clock", f"{drift:.0f}s apart from the database server; fix NTP")
        return Check(OK, "clock", f"within {drift:.1f}s of the database server")
    timedatectl = shutil.which("timedatectl")
    if timedatectl:
        shown = subprocess.run(
            [timedatectl, "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        if shown == "no":
            return Check(WARN, "clock", "not synchronised by NTP (card expiry and SLAs use it)")
        if shown == "yes":
            return Check(OK, "clock", "synchronised by NTP")
    return Check(OK, "clock", f"{utcnow():%Y-%m-%d %H:%M:%S} UTC (no NTP status to compare)")


CHECKS: tuple[Callable[[DoctorContext], Check], ...] = (
    check_database,
    check_migrations,
    check_redis,
    check_workers,
    check_outbox,
    check_keys,
    check_disk,
    check_clock,
)


def run_checks(ctx: DoctorContext) -> list[Check]:
    results = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            results.append(check(ctx))
        except Exception as exc:  # a check that cannot run is a failure, with its reason
            results.append(Check(FAIL, name, f"cannot check: {type(exc).__name__}: {exc}"[:200]))
    return results
