"""Factories for test data: small, explicit, and written through the real services."""

from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.households.service import (
    HouseholdData,
    MemberData,
    OnDuplicate,
    register_household,
)
from registry.origin import Channel, Origin
from registry.users.models import User
from registry.users.service import create_user

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def community(session: Session, region_index: int = 0, n: int = 0) -> Area:
    """The n-th community of the region at `region_index` in the demo area tree."""
    regions = list(
        session.scalars(select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.id))
    )
    region = regions[region_index]
    return list(
        session.scalars(
            select(Area)
            .where(Area.level == AreaLevel.COMMUNITY, Area.path.startswith(region.path))
            .order_by(Area.id)
        )
    )[n]


def region(session: Session, region_index: int = 0) -> Area:
    return list(
        session.scalars(select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.id))
    )[region_index]


def make_user(
    session: Session,
    roles: set[str],
    area_codes: list[str],
    *,
    username: str | None = None,
    language: str = "en",
) -> User:
    username = username or f"user{next(_counter)}"
    return create_user(
        session,
        Origin.system("tests"),
        username=username,
        full_name=username.title(),
        password=PASSWORD,
        roles=roles,
        area_codes=area_codes,
        language=language,
    )


def make_household(
    session: Session,
    area: Area,
    *,
    members: int = 3,
    phone: str | None = "+254712345678",
    channel: Channel = Channel.FIELD,
    family_name: str = "Otieno",
    language: str = "sw",
    head_name: str = "Amina",
    on_duplicate: OnDuplicate = OnDuplicate.RECORD,
):  # type: ignore[no-untyped-def]
    people = [
        MemberData(
            given_name=head_name,
            family_name=family_name,
            sex="F",
            birth_year=1980,
            relation="head",
            phone=phone,
            language=language,
        )
    ]
    for i in range(1, members):
        people.append(
            MemberData(
                given_name=f"Child{i}",
                family_name=family_name,
                sex="M" if i % 2 else "F",
                birth_year=2010 + i,
                relation="child",
                language=language,
            )
        )
    return register_household(
        session,
        HouseholdData(area_code=area.code, members=people, consent_given=True),
        origin=Origin(channel=channel, language=language, actor_name="tests"),
        # Factories make look-alike households on purpose: saved, pairs queued, never refused.
        on_duplicate=on_duplicate,
    )
