"""The review queue's rows: likely duplicates recorded by the checks and the registry run."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.households.models import Household, Person
from registry.matching.check import Candidate
from registry.matching.models import MatchPair, PairOrigin


def ordered_ids(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def record_pair(
    session: Session,
    person_a: Person,
    person_b: Person,
    *,
    score: float,
    levels: dict[str, int],
    origin: PairOrigin,
    area_id: int,
) -> MatchPair | None:
    """Adds the pair to the queue unless it is there already (open, merged or judged
    different: a decision is remembered and the pair never asked again)."""
    low, high = ordered_ids(person_a.id, person_b.id)
    existing = session.scalar(
        select(MatchPair).where(MatchPair.person_a_id == low, MatchPair.person_b_id == high)
    )
    if existing is not None:
        return None
    first, second = (person_a, person_b) if person_a.id == low else (person_b, person_a)
    pair = MatchPair(
        person_a_id=low,
        person_b_id=high,
        household_a_id=first.household_id,
        household_b_id=second.household_id,
        area_id=area_id,
        score=round(score, 6),
        levels=levels,
        origin=str(origin),
    )
    session.add(pair)
    return pair


def record_candidates(
    session: Session,
    household: Household,
    new_persons: list[Person],
    candidates: Iterable[Candidate],
    *,
    origin: PairOrigin,
) -> list[MatchPair]:
    """Pairs between a newly saved household's members and the candidates the check found."""
    pairs = []
    for candidate in candidates:
        existing = session.get(Person, candidate.person_id)
        if existing is None:
            continue
        pair = record_pair(
            session,
            new_persons[candidate.member_index],
            existing,
            score=candidate.score,
            levels=candidate.levels,
            origin=origin,
            area_id=household.area_id,
        )
        if pair is not None:
            pairs.append(pair)
    session.flush()
    return pairs
