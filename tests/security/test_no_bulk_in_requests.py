"""No request of the web desks runs a bulk operation inline: long work belongs in a job.

A registry of a few thousand households (and a long audit chain) is built in a database of its
own; every route of the isolation matrix, and the forms that start long work, are called as an
administrator while the SQLite driver counts the rows each request reads. A request that reads
more than ROW_LIMIT rows is doing, inside the request, work that grows with the registry: at
250,000 households it would take far longer than 2 s. The same check on PostgreSQL would
measure the same code, so it runs on its own SQLite file in both passes of the suite.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.cases.types import load_shipped
from registry.db import make_engine
from registry.demo.loader import load_areas, load_households
from registry.grievances.demo import load_categories
from registry.kvstore import make_store
from registry.migrate import upgrade
from registry.origin import Origin
from registry.programs.population import iter_population
from registry.settings import Settings
from tests.conftest import CSRF_RE
from tests.security.matrix import COVERAGE, SKIP, Call
from tests.security.world import build_world, client_as

HOUSEHOLDS = 4500
AUDIT_EVENTS = 1500
ROW_LIMIT = 1000


class RowCounter:
    rows = 0


class CountingCursor(sqlite3.Cursor):
    def fetchone(self):  # type: ignore[no-untyped-def]
        row = super().fetchone()
        RowCounter.rows += row is not None
        return row

    def fetchmany(self, size=None):  # type: ignore[no-untyped-def]
        rows = super().fetchmany(size) if size is not None else super().fetchmany()
        RowCounter.rows += len(rows)
        return rows

    def fetchall(self):  # type: ignore[no-untyped-def]
        rows = super().fetchall()
        RowCounter.rows += len(rows)
        return rows

    def __next__(self):  # type: ignore[no-untyped-def]
        row = super().__next__()
        RowCounter.rows += 1
        return row


class CountingConnection(sqlite3.Connection):
    def cursor(self, factory=CountingCursor):  # type: ignore[no-untyped-def,override]
        return super().cursor(factory)


def _send(client: FlaskClient, call: Call, token: str):  # type: ignore[no-untyped-def]
    if call.method == "GET":
        return client.get(call.url)
    if call.json_body is not None:
        return client.post(call.url, json=call.json_body)
    return client.post(call.url, data={**call.data, "csrf_token": token})


def _long_work_forms(region: str) -> list[Call]:
    """The forms that start long work, on the administrator's own (large) region."""
    return [
        Call("POST", "/programs/TST/apply"),
        Call("POST", "/programs/TST/versions/1/simulation", {"area": ""}),
        Call("POST", "/exports/", {"reason": "bulk check export", "format": "csv", "area": region}),
        Call("POST", "/cards/issue", {"area": region}),
        Call("POST", "/cards/print", {"area": region}),
        Call("POST", "/audit/verify"),
    ]


def test_no_desk_request_reads_the_registry_in_bulk(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bulk.db"
    engine = make_engine(
        f"sqlite:///{path}",
        creator=lambda: sqlite3.connect(path, factory=CountingConnection, check_same_thread=False),
    )
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        load_categories(session, Origin.system("tests"))
        load_shipped(session, origin=Origin.system("tests"))  # case types, as every deployment
        session.commit()
    load_households(engine, HOUSEHOLDS, seed=5)
    from webapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": replace(settings, database_url=f"sqlite:///{path}", redis_url=None),
            "KINGA_ENGINE": engine,
            "KINGA_KV": make_store(engine, None),
        }
    )
    session = Session(engine, expire_on_commit=False)  # the world's objects stay readable
    world = build_world(session, app)
    for n in range(AUDIT_EVENTS):  # a long audit chain, as a year of work leaves
        record(session, Origin.system("tests"), "bulk.padding", details={"n": n})
    session.commit()
    region_path = session.scalar(select(Area.path).where(Area.code == world.own_region))
    region = world.own_region
    # The instrument itself: reading the region's households in bulk trips the limit.
    RowCounter.rows = 0
    assert sum(1 for _ in iter_population(session, [region_path or ""], date.today())) > 1000
    assert RowCounter.rows > ROW_LIMIT
    client = client_as(app, world, "admin")
    token = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    problems, slowest = [], (0.0, "")
    for endpoint, case in COVERAGE.items():
        if case.kind == SKIP:
            continue
        calls = case.calls(world) + (case.own(world) if case.own else [])
        for call in calls:
            RowCounter.rows = 0
            started = time.perf_counter()
            response = _send(client, call, token)
            seconds = time.perf_counter() - started
            slowest = max(slowest, (seconds, f"{call.method} {call.url}"))
            if RowCounter.rows > ROW_LIMIT:
                problems.append(
                    f"{endpoint} {call.method} {call.url}: read {RowCounter.rows} rows "
                    f"({response.status_code}, {seconds:.2f}s)"
                )
    for call in _long_work_forms(region):
        RowCounter.rows = 0
        response = _send(client, call, token)
        assert response.status_code == 303, f"{call.url}: {response.status_code}"
        if RowCounter.rows > ROW_LIMIT:
            problems.append(f"{call.method} {call.url}: read {RowCounter.rows} rows")
    session.close()
    engine.dispose()
    assert not problems, "bulk work inside a request:\n" + "\n".join(problems)
    assert slowest[0] < 30, slowest  # a coarse guard; the row count is the real measure
