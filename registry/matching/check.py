"""The one duplicate check every door goes through: a new household against the registry.

Candidates are found through indexes with the same blocking rules as the registry-wide run
(both phonetic name keys with birth years one apart anywhere; either name key within the
community; phone; national ID; birth date within the community), then scored by the
registry's model. Needs no Flask; called by registry.households.service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from registry.areas.models import Area
from registry.households.models import Household, HouseholdStatus, Person
from registry.matching.comparisons import NULL
from registry.matching.model import MATCH_THRESHOLD, Model
from registry.matching.models import MatchModelRow
from registry.matching.normalize import birth_string
from registry.matching.prior_model import shipped_model
from registry.matching.records import MatchRecord

if TYPE_CHECKING:
    from registry.households.service import HouseholdData, MemberData

MAX_CANDIDATE_ROWS = 400
# A new registry is scored as if it held this many people: with a handful of records the
# chance that two random ones match is large, and a shared phone alone would pass for a match.
MIN_POPULATION = 1000
_cache: dict[str, Model] = {}


@dataclass(frozen=True)
class Candidate:
    """An existing person who may be the same as member `member_index` of the new household."""

    household_id: int
    household_number: str
    person_id: int
    member_index: int
    score: float
    levels: dict[str, int]

    @property
    def agreeing(self) -> list[str]:
        return [name for name, level in self.levels.items() if level > 0]

    @property
    def differing(self) -> list[str]:
        return [name for name, level in self.levels.items() if level == 0]


def current_model(session: Session) -> Model:
    """The newest model trained on this registry (or the shipped one), with the prior of the
    registry's size (the highest person id: an index lookup, and close enough)."""
    row_id = session.scalar(select(func.max(MatchModelRow.id)))
    key = f"{id(session.get_bind())}:{row_id}"
    base = _cache.get(key)
    if base is None:
        row = session.get(MatchModelRow, row_id) if row_id is not None else None
        base = Model.from_json(row.params) if row is not None else shipped_model()
        _cache.clear()
        _cache[key] = base
    population = int(session.scalar(select(func.max(Person.id))) or 0)
    return base.for_population(max(population, MIN_POPULATION))


def member_record(member: MemberData, area: Area, index: int) -> MatchRecord:
    district = area.parent.code if area.parent is not None else ""
    return MatchRecord(
        id=f"new-{index}",
        given=member.given_name,
        family=member.family_name,
        birth=birth_string(member.birth_date, member.birth_year),
        sex=member.sex or "",
        phone=member.phone or "",
        national_id=(member.national_id or "").strip().upper(),
        area=area.code.lower(),
        district=district.lower(),
        block_area=area.code.lower(),
    )


def _rule_statements() -> dict[str, Select[tuple[int]]]:
    """One indexed statement per blocking rule, each of a fixed shape so that it is compiled
    once (an OR or UNION across rules would scan every person or compile every time)."""
    person_id = select(Person.id)
    years = Person.birth_year.between(bindparam("year_low"), bindparam("year_high"))
    here = Person.household_id.in_(
        select(Household.id).where(Household.area_id == bindparam("area_id")).scalar_subquery()
    )
    first, second, key = bindparam("first"), bindparam("second"), bindparam("key")
    # Every branch of an OR carries all its conditions, so that each uses its whole index.
    return {
        # both name keys, in either order
        "names": person_id.where(
            or_(
                and_(Person.family_key == second, Person.given_key == first, years),
                and_(Person.family_key == first, Person.given_key == second, years),
            )
        ),
        # either name key as either name, within the community
        "any_name": person_id.where(
            or_(and_(Person.family_key == key, years), and_(Person.given_key == key, years)),
            here,
        ),
        "phone": person_id.where(Person.phone == bindparam("phone")),
        "national_id": person_id.where(Person.national_id == bindparam("national_id")),
        "birth_date": person_id.where(Person.birth_date == bindparam("birth_date"), here),
    }


_STATEMENTS = _rule_statements()
_LIMITED = {name: stmt.limit(MAX_CANDIDATE_ROWS) for name, stmt in _STATEMENTS.items()}


def _lookups(record: MatchRecord, area_id: int) -> list[tuple[str, dict[str, object]]]:
    """(statement, parameters) of every blocking rule this record can use."""
    found: list[tuple[str, dict[str, object]]] = []
    year = record.year
    if year is not None:
        window = {"year_low": year - 1, "year_high": year + 1}
        if record.given_key and record.family_key:
            found.append(
                ("names", {**window, "first": record.given_key, "second": record.family_key})
            )
        for key in {record.given_key, record.family_key} - {""}:
            found.append(("any_name", {**window, "key": key, "area_id": area_id}))
    if record.phone:
        found.append(("phone", {"phone": record.phone}))
    if record.national_id:
        found.append(("national_id", {"national_id": record.national_id}))
    if len(record.birth) == 8:
        try:
            born = date(int(record.birth[:4]), int(record.birth[4:6]), int(record.birth[6:]))
        except ValueError:
            return found
        found.append(("birth_date", {"birth_date": born, "area_id": area_id}))
    return found


def _candidate_ids(
    session: Session, records: list[MatchRecord], area_id: int
) -> dict[int, set[int]]:
    """Person id -> indexes of the new members whose blocking rules found that person."""
    found: dict[int, set[int]] = {}
    connection = session.connection()
    for index, record in enumerate(records):
        for name, params in _lookups(record, area_id):
            for (person_id,) in connection.execute(_LIMITED[name], params):
                found.setdefault(person_id, set()).add(index)
    return found


def _existing(row: object) -> MatchRecord:
    pid, given, family, born, year, sex, phone, nid, household_id, community, district = row  # type: ignore[misc]
    return MatchRecord(
        id=str(pid),
        given=given,
        family=family,
        birth=birth_string(born, year),
        sex=sex or "",
        phone=phone or "",
        national_id=(nid or "").upper(),
        area=community.lower(),
        district=(district or "").lower(),
        block_area=community.lower(),
        household=str(household_id),
    )


def find_candidates(
    session: Session,
    data: HouseholdData,
    *,
    exclude_household_id: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Existing households with a member likely to be one of the new household's members,
    best first (one candidate per household)."""
    area = session.scalar(select(Area).where(Area.code == data.area_code))
    if area is None:
        return []
    model = current_model(session)
    records = [member_record(m, area, i) for i, m in enumerate(data.members)]
    members_of = _candidate_ids(session, records, area.id)
    if not members_of:
        return []
    ids = list(members_of)[: MAX_CANDIDATE_ROWS * 2]
    district = aliased(Area)
    community = aliased(Area)
    stmt = (
        select(
            Person.id,
            Person.given_name,
            Person.family_name,
            Person.birth_date,
            Person.birth_year,
            Person.sex,
            Person.phone,
            Person.national_id,
            Household.id,
            community.code,
            district.code,
        )
        .join(Household, Household.id == Person.household_id)
        .join(community, community.id == Household.area_id)
        .outerjoin(district, district.id == community.parent_id)
        .where(Person.id.in_(ids), Household.status != HouseholdStatus.MERGED)
    )
    if exclude_household_id is not None:
        stmt = stmt.where(Household.id != exclude_household_id)
    rows = session.execute(stmt).all()
    numbers: dict[int, str] = {}
    best: dict[int, Candidate] = {}
    for row in rows:
        existing = _existing(row)
        household_id = int(existing.household)
        for index in sorted(members_of.get(row[0], ())):
            score, levels = model.score(records[index], existing)
            if score < MATCH_THRESHOLD:
                continue
            if household_id in best and best[household_id].score >= score:
                continue
            numbers.setdefault(household_id, "")
            best[household_id] = Candidate(
                household_id=household_id,
                household_number="",
                person_id=row[0],
                member_index=index,
                score=score,
                levels={
                    name: level
                    for name, level in zip(model.comparisons, levels, strict=True)
                    if level != NULL
                },
            )
    if not best:
        return []
    for household_id, number in session.execute(
        select(Household.id, Household.number).where(Household.id.in_(best))
    ):
        numbers[household_id] = number
    ranked = sorted(best.values(), key=lambda c: -c.score)[:limit]
    return [
        Candidate(
            c.household_id, numbers[c.household_id], c.person_id, c.member_index, c.score, c.levels
        )
        for c in ranked
    ]
