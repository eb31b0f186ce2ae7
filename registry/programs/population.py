"""Reads the registry in bulk, household by household, as rule facts: read-only, in chunks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household, HouseholdStatus, Person
from registry.programs.facts import Place, facts_from_rows, household_facts

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
    """Every household (not inactive) under `area_paths`, with its facts, in id order.

    Rows are read as plain tuples, a chunk of household ids at a time, so that a national
    registry is read in bounded memory at the speed of the database driver.
    """
    if not area_paths:
        return
    areas = session.scalars(select(Area).where(_area_filter(area_paths))).all()
    paths = {area.id: area.path for area in areas}
    places = {area.id: Place.of_path(area.path) for area in areas}
    if not paths:
        return
    households = Household.__table__
    in_areas = households.c.area_id.in_(list(paths))
    live = households.c.status != HouseholdStatus.INACTIVE
    low = session.scalar(select(func.min(households.c.id)).where(in_areas, live))
    high = session.scalar(select(func.max(households.c.id)).where(in_areas, live))
    if low is None or high is None:
        return
    year, today_md = today.year, f"{today:%m-%d}"
    for start in range(low, high + 1, chunk):
        stop = start + chunk
        # Asked for each chunk: a job may commit between chunks, which ends the old connection.
        connection = session.connection()
        rows = connection.execute(
            select(households.c.id, households.c.number, households.c.area_id, households.c.status)
            .where(households.c.id >= start, households.c.id < stop, in_areas, live)
            .order_by(households.c.id)
        ).all()
        if not rows:
            continue
        members: dict[int, list[Any]] = {}
        raw = connection.exec_driver_sql(
            PERSONS_SQL[_paramstyle(connection)], _range(connection, start, stop)
        )
        for household_id, *member in raw:
            members.setdefault(household_id, []).append(member)
        for household_id, number, area_id, status in rows:
            yield Evaluated(
                household_id,
                number,
                paths[area_id],
                facts_from_rows(
                    members.get(household_id, ()), places[area_id], status, year, today_md
                ),
            )


PERSONS_SQL = {
    "qmark": "SELECT household_id, birth_year, birth_date, sex, relation, disability,"
    " phone IS NOT NULL FROM persons WHERE household_id >= ? AND household_id < ?",
    "pyformat": "SELECT household_id, birth_year, birth_date, sex, relation, disability,"
    " phone IS NOT NULL FROM persons WHERE household_id >= %(start)s AND household_id < %(stop)s",
}


def _paramstyle(connection: Any) -> str:
    return "pyformat" if connection.dialect.paramstyle in ("pyformat", "format") else "qmark"


def _range(connection: Any, start: int, stop: int) -> Any:
    if _paramstyle(connection) == "pyformat":
        return {"start": start, "stop": stop}
    return (start, stop)


def count_population(session: Session, area_paths: Sequence[str]) -> int:
    """How many households `iter_population` will yield: the total of a job's progress bar."""
    if not area_paths:
        return 0
    households = Household.__table__
    area_ids = select(Area.id).where(_area_filter(area_paths)).scalar_subquery()
    return int(
        session.scalar(
            select(func.count())
            .select_from(households)
            .where(
                households.c.area_id.in_(area_ids),
                households.c.status != HouseholdStatus.INACTIVE,
            )
        )
        or 0
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
