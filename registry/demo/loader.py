"""`kinga demo`: the area tree, the demo users and synthetic households, loaded in bulk."""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.audit.service import record
from registry.demo.areas_data import COUNTRY, DISTRICT_WORD, REGIONS
from registry.demo.generator import DemoGenerator
from registry.households.models import Household, Person
from registry.origin import Origin
from registry.users.models import User
from registry.users.roles import Role
from registry.users.service import create_user

# Other parts of the domain add their demo data (programs, grievances...) by appending the
# dotted path of a `load_demo(session, rng, origin)` function here.
DEMO_STEPS: list[str] = [
    "registry.programs.demo.load_demo",
    "registry.grievances.demo.load_demo",
    "registry.cards.demo.load_demo",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    roles: frozenset[str]
    area: str  # "country", or a region index (1-based)


DEMO_USERS = (
    DemoUser("demo-admin", "Asha Admin", frozenset({Role.ADMIN}), "country"),
    DemoUser("demo-manager", "Moses Manager", frozenset({Role.PROGRAM_MANAGER}), "country"),
    DemoUser("demo-auditor", "Aida Auditor", frozenset({Role.AUDITOR}), "country"),
    DemoUser("demo-finance-1", "Fatuma Finance", frozenset({Role.FINANCE_OFFICER}), "country"),
    DemoUser("demo-field-1", "Faith Fieldworker", frozenset({Role.FIELD_WORKER}), "1"),
    DemoUser("demo-officer-1", "Omari Officer", frozenset({Role.GRIEVANCE_OFFICER}), "1"),
    DemoUser("demo-caseworker-1", "Chebet Caseworker", frozenset({Role.CASE_WORKER}), "1"),
    DemoUser("demo-safeguarding-1", "Sara Safeguard", frozenset({Role.SAFEGUARDING_OFFICER}), "1"),
    DemoUser("demo-field-2", "Fatou Fieldworker", frozenset({Role.FIELD_WORKER}), "2"),
    DemoUser("demo-officer-2", "Otieno Officer", frozenset({Role.GRIEVANCE_OFFICER}), "2"),
)


def _area(
    session: Session, code: str, names: dict[str, str], level: AreaLevel, parent: Area | None
) -> Area:
    existing = session.scalar(select(Area).where(Area.code == code))
    if existing:
        return existing
    path = (parent.path if parent else "") + code + "/"
    area = Area(code=code, name=names["en"], names=names, level=level, parent=parent, path=path)
    session.add(area)
    session.flush()
    return area


def load_areas(session: Session) -> list[Area]:
    """The country, its regions, districts and communities; returns the communities."""
    country = _area(session, COUNTRY["code"], COUNTRY["names"], AreaLevel.COUNTRY, None)
    communities = []
    for region_data in REGIONS:
        region = _area(
            session, region_data["code"], region_data["names"], AreaLevel.REGION, country
        )
        for d_index, (district_name, community_names) in enumerate(
            region_data["districts"].items(), start=1
        ):
            names = {lang: pattern.format(district_name) for lang, pattern in DISTRICT_WORD.items()}
            district = _area(
                session, f"{region.code}-{d_index:02d}", names, AreaLevel.DISTRICT, region
            )
            for c_index, community in enumerate(community_names, start=1):
                communities.append(
                    _area(
                        session,
                        f"{district.code}-{c_index:02d}",
                        {lang: community for lang in DISTRICT_WORD},
                        AreaLevel.COMMUNITY,
                        district,
                    )
                )
    return communities


def load_users(session: Session, origin: Origin, password: str) -> list[str]:
    """Creates the demo users that do not exist yet; returns the names created."""
    regions = [r["code"] for r in REGIONS]
    created = []
    for demo in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == demo.username)):
            continue
        area = COUNTRY["code"] if demo.area == "country" else regions[int(demo.area) - 1]
        create_user(
            session,
            origin,
            username=demo.username,
            full_name=demo.full_name,
            password=password,
            roles=set(demo.roles),
            area_codes=[area],
        )
        created.append(demo.username)
    return created


def count_demo_households(session: Session) -> int:
    return int(session.scalar(select(func.count(Household.id))) or 0)


def load_households(
    engine: Engine,
    count: int,
    seed: int,
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Bulk-inserts `count` synthetic households with their members; returns persons made."""
    with Session(engine) as session:
        communities = list(
            session.scalars(
                select(Area.id).where(Area.level == AreaLevel.COMMUNITY).order_by(Area.id)
            )
        )
        first_household = (session.scalar(select(func.max(Household.id))) or 0) + 1
        first_person = (session.scalar(select(func.max(Person.id))) or 0) + 1
        taken = set(session.scalars(select(Household.number)))
    generator = DemoGenerator(seed, communities, first_household, first_person)
    generator.numbers |= taken
    persons = 0
    household_table, person_table = Household.__table__, Person.__table__
    for batch in generator.batches(count, batch_size):
        with engine.begin() as connection:
            connection.execute(insert(household_table), batch.households)
            connection.execute(insert(person_table), batch.persons)
        persons += len(batch.persons)
        if progress:
            progress(len(batch.households))
    return persons


def run_extra_steps(session: Session, seed: int, origin: Origin) -> list[str]:
    done = []
    for dotted in DEMO_STEPS:
        module_name, _, function_name = dotted.rpartition(".")
        getattr(importlib.import_module(module_name), function_name)(
            session, random.Random(seed), origin
        )
        done.append(dotted)
    return done


def audit_load(session: Session, origin: Origin, households: int, persons: int) -> None:
    record(session, origin, "demo.load", details={"households": households, "persons": persons})
