"""Databases of their own for tests that run real worker processes (kill -9, restore drills).

On SQLite a file under the test's tmp folder; on PostgreSQL (KINGA_TEST_DATABASE_URL) a
database named after the test database with a suffix, created empty and dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from registry.db import make_engine

TEST_DATABASE_URL = os.environ.get("KINGA_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("KINGA_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[1]
KINGA = [sys.executable, "-c", "from webapp.cli import main; main()"]


def _admin_execute(statement: str) -> None:
    admin = make_engine(TEST_DATABASE_URL or "", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def scratch_database(tmp_path: Path, suffix: str) -> Iterator[str]:
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / (suffix + '.db')}"
        return
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_{suffix}"
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kinga_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "KINGA_DATABASE_URL": database_url,
        "KINGA_INSTANCE_DIR": str(instance),
        "KINGA_REDIS_URL": TEST_REDIS_URL or "",
        "KINGA_SMS_PROVIDER": "memory",
        **extra,
    }


def start_kinga(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`kinga ARGS` in its own process, its output in `log` (read it when a test fails)."""
    handle = log.open("ab")
    return subprocess.Popen(  # noqa: S603 - our own CLI, in a process of its own
        [*KINGA, *args], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )
