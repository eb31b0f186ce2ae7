"""A small world for the security tests: two regions, one user per role in the first, and a
canary household in each region whose personal data carries unique marker values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from unittest.mock import patch

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.households.models import Household
from registry.households.service import HouseholdData, MemberData, register_household
from registry.origin import Channel, Origin
from registry.users.passwords import hash_password
from registry.users.roles import Role
from tests.conftest import AuthActions
from tests.factories import community, make_user, region

ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class Canary:
    """Unique values that must never show up where they should not."""

    given_name: str
    family_name: str
    phone: str
    national_id: str
    birth_date: date
    address: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.given_name, self.family_name, self.address)

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Hidden even from roles that see names, unless they hold PII_FULL."""
        digits = self.phone.lstrip("+")
        return (digits, digits[3:], self.national_id, self.birth_date.isoformat())

    @property
    def all(self) -> tuple[str, ...]:
        return self.names + self.sensitive


OWN = Canary(
    "Qzownmark", "Vyownfam", "+254700410912", "OWN77120934", date(1977, 7, 17), "Plot OWNADDR 12"
)
FOREIGN = Canary(
    "Qzforeignmark",
    "Vyforfam",
    "+254733580417",
    "FOR88340271",
    date(1969, 9, 23),
    "Plot FORADDR 44",
)


@dataclass
class World:
    own: Household
    foreign: Household
    own_region: str
    foreign_region: str
    users: dict[str, str]  # role -> username
    extra: dict[str, str] = field(default_factory=dict)  # other desks' objects, by name

    @property
    def foreign_head_year(self) -> int:
        return FOREIGN.birth_date.year

    @property
    def foreign_phone_digits(self) -> str:
        return FOREIGN.phone.lstrip("+")


def _canary_household(session: Session, region_index: int, canary: Canary) -> Household:
    head = MemberData(
        given_name=canary.given_name,
        family_name=canary.family_name,
        sex="F",
        birth_year=canary.birth_date.year,
        birth_date=canary.birth_date,
        relation="head",
        phone=canary.phone,
        national_id=canary.national_id,
        language="en",
    )
    return register_household(
        session,
        HouseholdData(
            area_code=community(session, region_index).code,
            members=[head],
            address=canary.address,
            consent_given=True,
        ),
        origin=Origin(channel=Channel.FIELD, actor_name="tests"),
    )


@lru_cache(maxsize=4)
def _hash_once(password: str) -> str:
    """argon2 is slow on purpose; one hash serves every user of the world (same password)."""
    return hash_password(password)


def build_world(session: Session, app: Flask | None = None) -> World:
    own_region, foreign_region = region(session, 0).code, region(session, 1).code
    users = {}
    with patch("registry.users.service.hash_password", _hash_once):
        for role in ROLES:
            username = f"sec-{role.replace('_', '-')}"
            users[role] = make_user(session, {role}, [own_region], username=username).username
        foreign_user = make_user(
            session, {"grievance_officer"}, [foreign_region], username="sec-foreign-officer"
        )
    world = World(
        extra={"foreign_user_id": str(foreign_user.id)},
        own=_canary_household(session, 0, OWN),
        foreign=_canary_household(session, 1, FOREIGN),
        own_region=own_region,
        foreign_region=foreign_region,
        users=users,
    )
    session.commit()
    if app is not None:  # the other desks' objects (grievances, enrollments, cards)
        from tests.security.world_desks import add_desk_objects

        add_desk_objects(session, app, world)
    return world


def client_as(app: Flask, world: World, role: str | None) -> FlaskClient:
    client = app.test_client()
    if role is not None:
        response = AuthActions(client).login(world.users[role])
        assert response.status_code == 302, f"login of {role} failed"
    return client


def leaked(body: str, markers: tuple[str, ...]) -> list[str]:
    return [m for m in markers if m in body]
