"""How fast the grievance inbox answers with many grievances, on SQLite.

    .venv/bin/python -m benchmarks.grievances [--grievances 20000] [--url sqlite:///...]

Bulk-inserts synthetic grievances across both demo regions, then times the inbox page, its
counters, the figures page queries and one run of the escalation command.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from benchmarks.report import write_section
from registry.areas.models import Area, AreaLevel
from registry.db import make_engine, utcnow
from registry.demo.loader import load_areas, load_users
from registry.grievances.demo import load_categories
from registry.grievances.escalation import escalate_overdue
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.queries import InboxFilter, Viewer, list_grievances
from registry.grievances.states import Status
from registry.grievances.stats import counters, inbox_stats
from registry.migrate import upgrade
from registry.numbers import luhn_check_digit
from registry.origin import Channel, Origin
from registry.users.models import User
from registry.users.service import origin_for, scope_of

STATUSES = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]


def _rows(session: Session, count: int, rng: random.Random) -> list[dict[str, object]]:
    communities = list(
        session.scalars(
            select(Area).where(Area.level == AreaLevel.COMMUNITY, Area.path.like("KG/KG-PW/%"))
        )
    ) + list(
        session.scalars(
            select(Area).where(Area.level == AreaLevel.COMMUNITY, Area.path.like("KG/KG-ZW/%"))
        )
    )
    regions = {a.code: a.id for a in session.scalars(select(Area))}
    categories = list(session.scalars(select(GrievanceCategory)))
    now = utcnow()
    rows, numbers = [], set()
    for _ in range(count):
        while True:
            body = str(rng.randrange(10**6, 10**7))
            number = body + luhn_check_digit(body)
            if number not in numbers:
                numbers.add(number)
                break
        area = rng.choice(communities)
        category = rng.choice(categories)
        received = now - timedelta(hours=rng.randint(1, 24 * 60))
        status = rng.choice(STATUSES)
        resolved = status in (Status.RESOLVED, Status.CLOSED)
        rows.append(
            {
                "number": number,
                "channel": "sms",
                "category_id": category.id,
                "text": "Payment not received at the pay point.",
                "area_id": area.id,
                "handling_area_id": regions[area.path.split("/")[1]],
                "complainant_phone": f"+2547{rng.randrange(10**8):08d}",
                "anonymous": False,
                "consent_to_contact": True,
                "language": "sw",
                "priority": category.default_priority,
                "status": status,
                "escalation_level": 0,
                "received_at": received,
                "due_at": received + timedelta(hours=category.sla_hours),
                "resolved_at": received + timedelta(hours=rng.randint(2, 400))
                if resolved
                else None,
                "updated_at": received,
            }
        )
    return rows


def _time(fn: Callable[[], object], runs: int = 15) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grievances", type=int, default=20000)
    parser.add_argument("--url", default=None)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(2026)
    with Session(engine) as session:
        load_areas(session)
        load_users(session, Origin.cli("bench"), "bench password 1")
        load_categories(session, Origin.cli("bench"))
        session.commit()
        started = time.perf_counter()
        rows = _rows(session, args.grievances, rng)
        for start in range(0, len(rows), 5000):
            session.execute(insert(Grievance), rows[start : start + 5000])
        session.commit()
        load_seconds = time.perf_counter() - started
    with Session(engine) as session:
        officer = session.scalars(select(User).where(User.username == "demo-officer-1")).one()
        viewer = Viewer.of(scope_of(officer), origin_for(officer, Channel.WEB, "en"))
        now = utcnow()
        figures = {
            "inbox first page (50, open, by due time)": _time(
                lambda: list_grievances(session, viewer, InboxFilter(), now)
            ),
            "inbox, late only": _time(
                lambda: list_grievances(session, viewer, InboxFilter(overdue=True), now)
            ),
            "search by tracking number": _time(
                lambda: list_grievances(
                    session, viewer, InboxFilter(number=rows[7]["number"], status="all"), now
                )
            ),
            "counters": _time(lambda: counters(session, viewer, now)),
            "figures (by category, by area, SLA, median)": _time(
                lambda: inbox_stats(session, viewer, now, "en"), runs=5
            ),
        }
        started = time.perf_counter()
        escalated = escalate_overdue(session, limit=500)
        session.commit()
        escalate_ms = (time.perf_counter() - started) * 1000
    lines = [
        f"{args.grievances:,} grievances in two regions ({load_seconds:.1f} s to insert), "
        "as `demo-officer-1` (one region), SQLite WAL.",
        "",
        "| operation | median ms |",
        "| --- | ---: |",
        *(f"| {name} | {ms:.1f} |" for name, ms in figures.items()),
        f"| `kinga grievances escalate`: one run escalating {len(escalated)} overdue | "
        f"{escalate_ms:.0f} (total) |",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_report:
        write_section("grievances", "Grievance inbox", body)
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
