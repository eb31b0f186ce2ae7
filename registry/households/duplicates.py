"""A first duplicate warning: same phone, or same name and birth year, in the same community.

Full duplicate detection (fuzzy names, across areas) comes later; this catches the common
case of one household registered twice by two visits.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household, Person
from registry.households.service import HouseholdData


def possible_duplicates(
    session: Session, data: HouseholdData, *, exclude_id: int | None = None, limit: int = 5
) -> list[Household]:
    area = session.scalar(select(Area).where(Area.code == data.area_code))
    if area is None:
        return []
    conditions = []
    phones = {m.phone for m in data.members if m.phone}
    if phones:
        conditions.append(Person.phone.in_(phones))
    for member in data.members:
        conditions.append(
            and_(
                func.lower(Person.given_name) == member.given_name.lower(),
                func.lower(Person.family_name) == member.family_name.lower(),
                Person.birth_year == member.birth_year,
            )
        )
    matching = select(Person.household_id).where(or_(*conditions))
    stmt = (
        select(Household)
        .where(Household.area_id == area.id, Household.id.in_(matching))
        .order_by(Household.id)
        .limit(limit)
    )
    if exclude_id is not None:
        stmt = stmt.where(Household.id != exclude_id)
    return list(session.scalars(stmt))
