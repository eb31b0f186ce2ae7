"""Times `kinga demo --households N` against a raw sqlite3 `executemany` of the same rows.

    .venv/bin/python -m benchmarks.demo_load [--households 250000]

Both load into fresh, migrated SQLite files under a temporary folder. The raw side gets the
rows ready-made (generation is not timed for it), so the ratio is the whole cost of the
command (generation, typing, progress bar, transactions) over bare inserts.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from benchmarks.report import write_section
from registry.areas.models import Area, AreaLevel
from registry.db import make_engine
from registry.demo.generator import DemoGenerator
from registry.demo.loader import load_areas
from registry.migrate import upgrade

HOUSEHOLD_COLUMNS = [
    "id",
    "number",
    "area_id",
    "address",
    "status",
    "source_channel",
    "created_by_id",
    "verified_by_id",
    "verified_at",
    "created_at",
    "updated_at",
    "version",
]
PERSON_COLUMNS = [
    "id",
    "household_id",
    "position",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "relation",
    "phone",
    "language",
    "national_id",
    "disability",
    "created_at",
]


def _sql_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def time_command(folder: Path, households: int) -> float:
    env = dict(
        os.environ,
        KINGA_DATABASE_URL=f"sqlite:///{folder / 'kinga.db'}",
        KINGA_INSTANCE_DIR=str(folder / "instance"),
        KINGA_DEMO_PASSWORD="bench pass 1",
    )
    kinga = str(Path(sys.executable).with_name("kinga"))
    subprocess.run([kinga, "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [kinga, "demo", "--households", str(households), "--quiet"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def time_raw(folder: Path, households: int) -> tuple[float, int]:
    path = folder / "raw.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        session.commit()
        communities = [a.id for a in session.query(Area).filter(Area.level == AreaLevel.COMMUNITY)]
    engine.dispose()
    generator = DemoGenerator(2026, communities, 1, 1)
    household_rows, person_rows = [], []
    for batch in generator.batches(households, 5000):
        household_rows += [
            tuple(_sql_value(h[c]) for c in HOUSEHOLD_COLUMNS) for h in batch.households
        ]
        person_rows += [tuple(_sql_value(p[c]) for c in PERSON_COLUMNS) for p in batch.persons]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    connection.executemany(
        f"INSERT INTO households ({','.join(HOUSEHOLD_COLUMNS)}) "
        f"VALUES ({','.join('?' * len(HOUSEHOLD_COLUMNS))})",
        household_rows,
    )
    connection.executemany(
        f"INSERT INTO persons ({','.join(PERSON_COLUMNS)}) "
        f"VALUES ({','.join('?' * len(PERSON_COLUMNS))})",
        person_rows,
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, len(person_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=250_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kinga-bench-") as tmp:
        folder = Path(tmp)
        command = time_command(folder, args.households)
        raw, persons = time_raw(folder, args.households)
    ratio = command / raw
    body = (
        f"`kinga demo --households {args.households:,}` into a fresh SQLite file, against a raw "
        "`sqlite3.executemany` of the same rows (ready-made, same schema, same pragmas).\n\n"
        "| what | seconds | households/s |\n| --- | ---: | ---: |\n"
        f"| `kinga demo` (generate + insert, {persons:,} people) | {command:.1f} | "
        f"{args.households / command:,.0f} |\n"
        f"| raw `executemany` (insert only) | {raw:.1f} | {args.households / raw:,.0f} |\n\n"
        f"Ratio: **{ratio:.2f}x** raw inserts (target: within 4x)."
    )
    write_section("demo_load", "Demo load (`benchmarks/demo_load.py`)", body)
    print(body)


if __name__ == "__main__":
    main()
