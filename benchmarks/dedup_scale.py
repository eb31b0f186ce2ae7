"""Duplicate detection at national size: the check of one new registration, and the
registry-wide run, against a registry built by `kinga demo --households 250000`.

Run:
  KINGA_DATABASE_URL=sqlite:///PATH .venv/bin/kinga demo --households 250000
  KINGA_DATABASE_URL=sqlite:///PATH .venv/bin/python -m benchmarks.dedup_scale --checks 400 --run

Goals (issue 15): one check within 50 ms at p95; the run within 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import time

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from benchmarks.report import write_section
from registry.households.models import Household, Person
from registry.households.service import HouseholdData, MemberData
from registry.matching.check import find_candidates
from registry.matching.run import run_registry
from registry.matching.synthetic import transliterate
from registry.origin import Origin


def _again(household: Household, rng: random.Random) -> HouseholdData:
    """The household registered a second time: names respelt, birth years one off, new phone."""
    members = []
    for person in household.members:
        members.append(
            MemberData(
                given_name=transliterate(person.given_name, rng),
                family_name=person.family_name,
                sex=person.sex,
                birth_year=person.birth_year + rng.choice((-1, 0, 1)),
                relation=person.relation,
                phone=f"+2547{rng.randrange(10**8):08d}" if person.phone else None,
            )
        )
    return HouseholdData(area_code=household.area.code, members=members)


def _checks(
    session: Session, count: int, rng: random.Random
) -> tuple[list[float], list[float], int, int]:
    top = int(session.scalar(select(func.max(Household.id))) or 0)
    timings, cpu, found, asked = [], [], 0, 0
    while asked < count:
        household = session.get(Household, rng.randint(1, top))
        if household is None or not household.members:
            continue
        data = _again(household, rng)
        started, started_cpu = time.perf_counter(), time.process_time()
        candidates = find_candidates(session, data)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        asked += 1
        found += any(c.household_id == household.id for c in candidates)
        session.expunge_all()
    return timings, cpu, found, asked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=400)
    parser.add_argument("--run", action="store_true", help="also time the registry-wide run")
    args = parser.parse_args()
    url = os.environ["KINGA_DATABASE_URL"]
    engine = create_engine(url)
    rng = random.Random(15)
    with Session(engine) as session:
        people = int(session.scalar(select(func.count(Person.id))) or 0)
        households = int(session.scalar(select(func.count(Household.id))) or 0)
        load = os.getloadavg()
        find_candidates(session, _again(session.get(Household, 1), rng))  # warm the model
        timings, cpu, found, asked = _checks(session, args.checks, rng)
    timings.sort()
    cpu.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    cpu50, cpu95 = statistics.median(cpu), cpu[int(len(cpu) * 0.95) - 1]
    print(
        f"check: p50 {p50:.1f} ms, p95 {p95:.1f} ms (CPU p50 {cpu50:.1f}, p95 {cpu95:.1f}),"
        f" found {found}/{asked}"
    )
    body = f"""Registry: {households:,} households, {people:,} people (`kinga demo --households
250000`), {engine.dialect.name}. Load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.

**One new registration checked** (`registry.matching.check.find_candidates`, what every door
calls): {asked} households of the registry registered again with names respelt, birth years
one off and new phones. p50 {p50:.1f} ms, p95 **{p95:.1f} ms**, max {timings[-1]:.1f} ms
(goal: p95 within 50 ms). CPU time of this process per check (the share of the work that is
Python and SQLite in-process, without waiting for a core on a busy machine): p50
{cpu50:.1f} ms, p95 {cpu95:.1f} ms. The original household was among the candidates for {found} of
{asked} ({found / asked:.1%}).
"""
    if args.run:
        with Session(engine) as session:
            load = os.getloadavg()
            started = time.perf_counter()
            result = run_registry(session, origin=Origin.cli("benchmark"))
            seconds = time.perf_counter() - started
            session.rollback()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"run: {seconds:.0f} s, {result.pairs_found} pairs, peak {peak:.0f} MiB")
        body += f"""
**Registry-wide run** (`registry.matching.run.run_registry`, the body of `kinga dedup run`:
load, train the model on the registry, block, compare, queue the pairs; rolled back after):
{result.people:,} people in **{seconds / 60:.1f} minutes** (goal: within 10), {result.pairs_found:,}
pairs judged likely duplicates ({result.skipped_blocks} oversized blocks skipped), peak memory
{peak:.0f} MiB. Load average at its start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}. The demo
generator registers nobody twice on purpose: the pairs are people who share names, birth year
and community by chance among its small name pools.
"""
    command = "KINGA_DATABASE_URL=... .venv/bin/python -m benchmarks.dedup_scale"
    command += f" --checks {args.checks}" + (" --run" if args.run else "")
    write_section(
        "dedup-scale", "Duplicate detection at national size", f"Command: `{command}`\n\n{body}"
    )


if __name__ == "__main__":
    main()
