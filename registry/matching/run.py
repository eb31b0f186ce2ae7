"""The registry-wide duplicate run: train on the registry, block, score, fill the review queue.

Idempotent: a pair already in the queue (open, merged or judged different) is never added
again, so a run retried after a crash adds only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, aliased

from registry.areas.models import Area
from registry.audit.service import record
from registry.errors import NotFound
from registry.households.models import Household, HouseholdStatus, Person
from registry.i18n import N_
from registry.matching.blocking import BlockStats
from registry.matching.check import MIN_POPULATION
from registry.matching.comparisons import NULL
from registry.matching.files import MIN_TRAINING_RECORDS
from registry.matching.link import find_matches
from registry.matching.model import train
from registry.matching.models import MatchModelRow, MatchPair, PairOrigin
from registry.matching.normalize import birth_string
from registry.matching.prior_model import shipped_model
from registry.matching.records import MatchRecord
from registry.origin import Origin

Progress = Callable[[int, int, str], None]
INSERT_CHUNK = 5000


@dataclass
class RunResult:
    people: int
    pairs_found: int
    pairs_added: int
    skipped_blocks: int


def load_records(
    session: Session, area_code: str | None
) -> tuple[list[MatchRecord], dict[str, int]]:
    """Every person of a live household (under `area_code`), and person id -> area id."""
    community, district = aliased(Area), aliased(Area)
    stmt = (
        select(
            Person.id,
            Person.household_id,
            Person.given_name,
            Person.family_name,
            Person.birth_date,
            Person.birth_year,
            Person.sex,
            Person.phone,
            Person.national_id,
            community.id,
            community.code,
            district.code,
        )
        .join(Household, Household.id == Person.household_id)
        .join(community, community.id == Household.area_id)
        .outerjoin(district, district.id == community.parent_id)
        .where(Household.status != HouseholdStatus.MERGED)
    )
    if area_code:
        area = session.scalar(select(Area).where(Area.code == area_code))
        if area is None:
            raise NotFound(N_("No area with this code."))
        stmt = stmt.where(community.path.startswith(area.path))
    records, areas = [], {}
    for row in session.execute(stmt.execution_options(yield_per=20_000)):
        pid, hid, given, family, born, year, sex, phone, nid, area_id, code, parent = row
        key = str(pid)
        records.append(
            MatchRecord(
                id=key,
                given=given,
                family=family,
                birth=birth_string(born, year),
                sex=sex or "",
                phone=phone or "",
                national_id=(nid or "").upper(),
                area=code.lower(),
                district=(parent or "").lower(),
                block_area=code.lower(),
                household=str(hid),
            )
        )
        areas[key] = area_id
    return records, areas


def run_registry(
    session: Session,
    *,
    origin: Origin,
    area_code: str | None = None,
    progress: Progress | None = None,
) -> RunResult:
    def step(done: int, message: str) -> None:
        if progress is not None:
            progress(done, 4, message)

    step(0, "loading people")
    records, areas = load_records(session, area_code)
    step(1, "training the model")
    if len(records) >= MIN_TRAINING_RECORDS:
        model = train(records, label=f"registry {area_code or 'all'}")
        session.add(MatchModelRow(params=model.to_json(), records=len(records)))
        session.flush()
    else:  # too few people to learn from: the shipped model, at the registry's size
        model = shipped_model().for_population(max(len(records), MIN_POPULATION))
    step(2, "comparing blocked pairs")
    stats = BlockStats()
    found = find_matches(model, records, stats=stats)
    step(3, "filling the review queue")
    added = _add_pairs(session, found, areas, model.comparisons)
    record(
        session,
        origin,
        "duplicate.run",
        target_type="area",
        target_id=area_code or "all",
        area_code=area_code,
        details={"people": len(records), "found": len(found), "added": added},
    )
    step(4, "done")
    return RunResult(len(records), len(found), added, stats.skipped_blocks)


def _add_pairs(
    session: Session, found: list, areas: dict[str, int], comparisons: tuple[str, ...]
) -> int:
    added = 0
    for start in range(0, len(found), INSERT_CHUNK):
        chunk = found[start : start + INSERT_CHUNK]
        keys = [tuple(sorted((int(p.a.id), int(p.b.id)))) for p in chunk]
        known = {
            (low, high)
            for low, high in session.execute(
                select(MatchPair.person_a_id, MatchPair.person_b_id).where(
                    tuple_(MatchPair.person_a_id, MatchPair.person_b_id).in_(keys)
                )
            )
        }
        rows = []
        for pair, (low, high) in zip(chunk, keys, strict=True):
            if (low, high) in known:
                continue
            known.add((low, high))
            first, second = (pair.a, pair.b) if int(pair.a.id) == low else (pair.b, pair.a)
            rows.append(
                {
                    "person_a_id": low,
                    "person_b_id": high,
                    "household_a_id": int(first.household),
                    "household_b_id": int(second.household),
                    "area_id": areas[second.id],
                    "score": round(pair.score, 6),
                    "levels": {
                        n: lv for n, lv in zip(comparisons, pair.levels, strict=True) if lv != NULL
                    },
                    "origin": str(PairOrigin.RUN),
                    "status": "open",
                }
            )
        if rows:
            session.execute(MatchPair.__table__.insert(), rows)
            added += len(rows)
    session.flush()
    return added
