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

from sqlalchemy import and_, func, or_, select
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


def _conditions(record: MatchRecord, area_id: int) -> list[object]:
    conditions: list[object] = []
    year = record.year
    if year is not None:
        years = Person.birth_year.between(year - 1, year + 1)
        if record.given_key and record.family_key:
            conditions.append(
                and_(
                    years,
                    or_(
                        and_(
                            Person.given_key == record.given_key,
                            Person.family_key == record.family_key,
                        ),
                        and_(
                            Person.given_key == record.family_key,
                            Person.family_key == record.given_key,
                        ),
                    ),
                )
            )
        keys = [k for k in {record.given_key, record.family_key} if k]
        if keys:
            conditions.append(
                and_(
                    years,
                    Household.area_id == area_id,
                    or_(Person.family_key.in_(keys), Person.given_key.in_(keys)),
                )
            )
    if record.phone:
        conditions.append(Person.phone == record.phone)
    if record.national_id:
        conditions.append(Person.national_id == record.national_id)
    if len(record.birth) == 8:
        try:
            born = date(int(record.birth[:4]), int(record.birth[4:6]), int(record.birth[6:]))
        except ValueError:
            return conditions
        conditions.append(and_(Household.area_id == area_id, Person.birth_date == born))
    return conditions


def _existing(row: object) -> MatchRecord:
    person, household_id, community, district = row  # type: ignore[misc]
    return MatchRecord(
        id=str(person.id),
        given=person.given_name,
        family=person.family_name,
        birth=birth_string(person.birth_date, person.birth_year),
        sex=person.sex or "",
        phone=person.phone or "",
        national_id=(person.national_id or "").upper(),
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
    conditions = [c for record in records for c in _conditions(record, area.id)]
    if not conditions:
        return []
    district = aliased(Area)
    community = aliased(Area)
    stmt = (
        select(Person, Household.id, community.code, district.code)
        .join(Household, Household.id == Person.household_id)
        .join(community, community.id == Household.area_id)
        .outerjoin(district, district.id == community.parent_id)
        .where(or_(*conditions), Household.status != HouseholdStatus.MERGED)
        .limit(MAX_CANDIDATE_ROWS)
    )
    if exclude_household_id is not None:
        stmt = stmt.where(Household.id != exclude_household_id)
    rows = session.execute(stmt).all()
    numbers: dict[int, str] = {}
    best: dict[int, Candidate] = {}
    for row in rows:
        existing = _existing(row)
        household_id = int(existing.household)
        for index, record in enumerate(records):
            score, levels = model.score(record, existing)
            if score < MATCH_THRESHOLD:
                continue
            if household_id in best and best[household_id].score >= score:
                continue
            numbers.setdefault(household_id, "")
            best[household_id] = Candidate(
                household_id=household_id,
                household_number="",
                person_id=row[0].id,
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
