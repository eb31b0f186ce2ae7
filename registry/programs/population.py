"""Reads the registry in bulk, household by household, as rule facts: read-only, in chunks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household, HouseholdStatus, Person
from registry.programs.facts import household_facts

CHUNK = 20_000


@dataclass(frozen=True)
class Evaluated:
    household_id: int
    number: str
    area_path: str
    facts: dict[str, Any]


def _area_filter(paths: Sequence[str]) -> Any:
    return or_(*(Area.path.startswith(path) for path in paths))


def iter_population(
    session: Session, area_paths: Sequence[str], today: date, *, chunk: int = CHUNK
) -> Iterator[Evaluated]:
    """Every household (not inactive) under `area_paths`, with its facts, in id order."""
    if not area_paths:
        return
    paths = {
        area.id: area.path for area in session.scalars(select(Area).where(_area_filter(area_paths)))
    }
    if not paths:
        return
    households = Household.__table__
    persons = Person.__table__
    in_areas = households.c.area_id.in_(list(paths))
    live = households.c.status != HouseholdStatus.INACTIVE
    low = session.scalar(select(func.min(households.c.id)).where(in_areas, live))
    high = session.scalar(select(func.max(households.c.id)).where(in_areas, live))
    if low is None or high is None:
        return
    for start in range(low, high + 1, chunk):
        stop = start + chunk
        id_range = and_(households.c.id >= start, households.c.id < stop)
        rows = session.execute(
            select(households.c.id, households.c.number, households.c.area_id, households.c.status)
            .where(id_range, in_areas, live)
            .order_by(households.c.id)
        ).all()
        if not rows:
            continue
        members: dict[int, list[Any]] = {}
        for person in session.execute(
            select(
                persons.c.household_id,
                persons.c.birth_year,
                persons.c.birth_date,
                persons.c.sex,
                persons.c.relation,
                persons.c.disability,
                persons.c.phone.is_not(None).label("has_phone"),
            ).where(persons.c.household_id >= start, persons.c.household_id < stop)
        ):
            members.setdefault(person.household_id, []).append(person)
        for row in rows:
            path = paths[row.area_id]
            yield Evaluated(
                row.id,
                row.number,
                path,
                household_facts(members.get(row.id, ()), path, row.status, today),
            )


def facts_of(session: Session, household: Household, today: date) -> dict[str, Any]:
    """The facts of one household loaded as an object (same computation as the bulk path)."""
    return household_facts(
        [_MemberView(p) for p in household.members], household.area.path, household.status, today
    )


class _MemberView:
    __slots__ = ("birth_date", "birth_year", "disability", "has_phone", "relation", "sex")

    def __init__(self, person: Person) -> None:
        self.birth_year = person.birth_year
        self.birth_date = person.birth_date
        self.sex = person.sex
        self.relation = person.relation
        self.disability = person.disability
        self.has_phone = person.phone is not None
