"""Test helpers for cases: staff per region, viewers and origins, a household member."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.cases.access import CaseViewer
from registry.households.models import Person
from registry.origin import Channel, Origin
from registry.users.models import User
from registry.users.service import origin_for, scope_of
from tests.factories import community, make_household, make_user, region


def staff(session: Session, role: str, region_index: int = 0, phone: str | None = None) -> User:
    user = make_user(session, {role}, [region(session, region_index).code])
    user.phone = phone
    return user


def viewer_of(user: User) -> CaseViewer:
    return CaseViewer.of(scope_of(user), origin_of(user))


def origin_of(user: User, channel: Channel = Channel.WEB) -> Origin:
    return origin_for(user, channel, "en")


def member(session: Session, region_index: int = 0) -> tuple[str, Person]:
    household = make_household(session, community(session, region_index), members=3)
    session.flush()
    return household.number, household.members[1]
