"""A consistent copy of the database and its restore: SQLite's online backup API, PostgreSQL's
pg_dump (custom format) taken in an exported snapshot, so the counts written beside the dump
describe exactly what it holds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, inspect, select, table, text
from sqlalchemy.engine import URL, Engine

from registry.audit.models import AuditEvent


class BackupToolMissing(Exception):
    """pg_dump or pg_restore is not installed."""


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def describe(connection: Connection) -> dict[str, Any]:
    """Row counts of every table and the audit chain's head, read in the caller's snapshot."""
    counts = {}
    for name in sorted(inspect(connection).get_table_names()):
        if name == "alembic_version":
            continue
        counts[name] = int(connection.scalar(select(func.count()).select_from(table(name))) or 0)
    head = connection.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    revisions = sorted(connection.scalars(text("SELECT version_num FROM alembic_version")))
    return {
        "tables": counts,
        "audit_head": {"seq": head.seq, "hash": head.hash} if head else None,
        "revisions": revisions,
    }


def dump_sqlite(engine: Engine, dest: Path) -> dict[str, Any]:
    """Copies the live file page by page in one read transaction (writers go on, in WAL)."""
    source = _sqlite_file(engine)
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
    copy = _sqlite_engine(dest)
    try:
        with copy.connect() as connection:
            return describe(connection)
    finally:
        copy.dispose()


def _sqlite_engine(path: Path) -> Engine:
    from registry.db import make_engine

    return make_engine(f"sqlite:///{path}")


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password (which goes in the environment)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupToolMissing(
            f"{name} is not installed; install the PostgreSQL client (Debian: postgresql-client)"
        )
    return found


def dump_postgresql(engine: Engine, dest: Path) -> dict[str, Any]:
    """pg_dump in an exported snapshot; the counts are read in that same snapshot."""
    pg_dump = _tool("pg_dump")
    uri, env = _libpq(engine.url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            facts = describe(connection)
            subprocess.run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    f"--file={dest}",
                    f"--dbname={uri}",
                ],
                env=env,
                check=True,
                capture_output=True,
            )
    return facts


def dump(engine: Engine, dest_dir: Path) -> tuple[str, dict[str, Any]]:
    if engine.dialect.name == "sqlite":
        return "database.sqlite", dump_sqlite(engine, dest_dir / "database.sqlite")
    if engine.dialect.name == "postgresql":
        return "database.pgdump", dump_postgresql(engine, dest_dir / "database.pgdump")
    raise ValueError(f"backups of {engine.dialect.name} are not supported")


def is_empty(engine: Engine) -> bool:
    """True when no table of ours holds a row (a fresh database may have the empty schema)."""
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            if name == "alembic_version":
                continue
            if connection.scalar(select(func.count()).select_from(table(name))):
                return False
    return True


def restore_sqlite(engine: Engine, source: Path) -> None:
    target = _sqlite_file(engine)
    engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def restore_postgresql(engine: Engine, source: Path) -> None:
    pg_restore = _tool("pg_restore")
    uri, env = _libpq(engine.url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    result = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={uri}",
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_restore failed: {result.stderr.strip()[-500:]}")


RESTORERS: dict[str, Callable[[Engine, Path], None]] = {
    "database.sqlite": restore_sqlite,
    "database.pgdump": restore_postgresql,
}


def dialect_of(member: str) -> str:
    return "sqlite" if member == "database.sqlite" else "postgresql"
