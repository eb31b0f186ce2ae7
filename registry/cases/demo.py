"""Demo data: the shipped case types, phones for the case staff (for reminders), cases of
each type in both regions at different steps, and two service places with a register."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.cases import attendance, types, work
from registry.cases.access import CaseViewer
from registry.cases.intake import Intake, open_case
from registry.cases.models import Case, ServicePlace
from registry.households.models import Household, Person
from registry.origin import Channel, Origin
from registry.programs.models import Program
from registry.scope import Scope
from registry.users.models import User
from registry.users.service import origin_for

STAFF_PHONES = {
    "demo-caseworker-1": "+254700160001",
    "demo-caseworker-2": "+254700160002",
    "demo-supervisor-1": "+254700160003",
}
REASONS = {
    "child_protection": "Neighbour reports the child is often left alone at night.",
    "disability_inclusion": "Wheelchair user asks for a place in the tailoring workshop.",
    "early_education": "Mother asks for a place at the nearest early learning centre.",
}


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _people(session: Session, region: Area, count: int, rng: random.Random) -> list[Person]:
    people = list(
        session.scalars(
            select(Person)
            .join(Household, Household.id == Person.household_id)
            .join(Area, Area.id == Household.area_id)
            .where(Area.path.startswith(region.path))
            .order_by(Person.id)
            .limit(count * 4)
        )
    )
    rng.shuffle(people)
    return people[:count]


def _as(user: User) -> tuple[CaseViewer, Origin]:
    origin = origin_for(user, Channel.WEB, user.language)
    return CaseViewer(Scope.of_areas(user.areas), user.id, user.roles), origin


def load_demo(session: Session, rng: random.Random, origin: Origin) -> None:
    types.load_shipped(session, origin=origin)
    for username, phone in STAFF_PHONES.items():
        user = _user(session, username)
        if user is not None and not user.phone:
            user.phone = phone
    if session.scalar(select(Case.id).limit(1)) is not None:
        return
    regions = list(
        session.scalars(select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.id))
    )
    workers = [_user(session, "demo-caseworker-1"), _user(session, "demo-caseworker-2")]
    supervisor = _user(session, "demo-supervisor-1")
    today = date.today()
    for region, worker in zip(regions[:2], workers, strict=False):
        people = _people(session, region, 6, rng)
        codes = ["child_protection", "disability_inclusion", "early_education"] * 2
        for index, (person, code) in enumerate(zip(people, codes, strict=False)):
            case = open_case(
                session,
                Intake(code, "field", REASONS[code], person, person.household.area_id),
                origin=origin,
                today=today - timedelta(days=20 - index),
            )
            if worker is None or index == 5:
                continue  # stays unassigned: the supervisor's list shows it
            case.worker = worker
            viewer, acting = _as(worker)
            if index >= 3:
                continue  # assigned, not assessed yet: its first visit is overdue
            answers = _answers(case.case_type)
            work.record_assessment(
                session, viewer, case.number, answers, f"demo-assess-{case.number}", origin=acting
            )
            work.add_plan_item(
                session,
                viewer,
                case.number,
                "goal",
                "Safe, stable care at home",
                None,
                origin=acting,
            )
            work.add_plan_item(
                session,
                viewer,
                case.number,
                "action",
                "Meet the caregiver with the teacher",
                today + timedelta(days=7 + index),
                origin=acting,
            )
            work.submit_plan(session, viewer, case.number, origin=acting)
            if supervisor is not None and region is regions[0] and index < 2:
                sup_viewer, sup_origin = _as(supervisor)
                work.approve_plan(session, sup_viewer, case.number, origin=sup_origin)
                service = types.entries(case.case_type, "services")[0]["code"]
                work.refer(
                    session, viewer, case.number, service, "District office", None, origin=acting
                )
    _places(session, regions, origin, rng)


def _answers(case_type) -> dict[str, object]:  # type: ignore[no-untyped-def]
    answers: dict[str, object] = {}
    for question in types.entries(case_type, "assessment"):
        kind = question["type"]
        if kind == "yesno":
            answers[question["name"]] = True
        elif kind == "choice":
            answers[question["name"]] = question["options"][0]["value"]
        elif kind == "number":
            answers[question["name"]] = question["min"] + 1
    answers[types.RISK_FIELD] = types.entries(case_type, "risk_levels")[0]["code"]
    return answers


def _places(session: Session, regions: list[Area], origin: Origin, rng: random.Random) -> None:
    if session.scalar(select(ServicePlace.id).limit(1)) is not None or not regions:
        return
    program = session.scalar(select(Program).where(Program.code == "ELC"))
    communities = list(
        session.scalars(
            select(Area)
            .where(Area.level == AreaLevel.COMMUNITY, Area.path.startswith(regions[0].path))
            .order_by(Area.id)
            .limit(2)
        )
    )
    specs = [
        ("ELC-01", "Tumaini early learning centre", "early_education", 20, program),
        ("WS-01", "Pamoja inclusion workshop", "disability_workshop", 12, None),
    ]
    scope = Scope.unrestricted()
    for (code, name, kind, capacity, prog), area in zip(specs, communities, strict=False):
        attendance.create_place(
            session,
            code=code,
            name=name,
            kind=kind,
            area_code=area.code,
            capacity=capacity,
            program_code=prog.code if prog is not None and prog.kind == "service" else None,
            origin=origin,
        )
        for person in _people(session, regions[0], 8, rng):
            attendance.enroll(
                session,
                scope,
                code,
                person.household.number,
                person.id,
                origin=origin,
                today=date.today() - timedelta(days=10),
            )
