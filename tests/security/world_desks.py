"""Objects of the other desks for the security world: a grievance, an enrollment and a card in
each region, so that the matrix and the canary reach the inbox, program and card routes."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.cards.service import issue_card
from registry.grievances.demo import load_categories
from registry.grievances.service import GrievanceData, lodge_grievance
from registry.origin import Channel, Origin
from registry.programs.enrollment import apply_rule_set
from registry.programs.models import Enrollment
from registry.scope import Scope
from tests.factories import community
from tests.registry.programs.helpers import make_program
from tests.security.world import FOREIGN, OWN, Canary, World

ORIGIN = Origin.system("tests")


def _grievance(session: Session, region_index: int, canary: Canary) -> str:
    grievance = lodge_grievance(
        session,
        GrievanceData(
            category_code="payment_missing",
            text=f"{canary.given_name} {canary.family_name} was not paid",
            area_code=community(session, region_index).code,
            complainant_phone=canary.phone,
            person_id=None,
            anonymous=False,
            consent_to_contact=True,
            language="en",
        ),
        origin=Origin(channel=Channel.SMS, language="en", phone=canary.phone),
    )
    return str(grievance.number)


def add_desk_objects(session: Session, app: Flask, world: World) -> None:
    load_categories(session, ORIGIN)
    world.extra["own_grievance"] = _grievance(session, 0, OWN)
    world.extra["foreign_grievance"] = _grievance(session, 1, FOREIGN)
    country = session.scalar(select(Area).where(Area.level == AreaLevel.COUNTRY))
    assert country is not None
    program = make_program(session, country)
    apply_rule_set(session, program, origin=ORIGIN, today=date.today())
    for key, household in (("own", world.own), ("foreign", world.foreign)):
        enrollment = session.scalar(
            select(Enrollment).where(
                Enrollment.household_id == household.id, Enrollment.program_id == program.id
            )
        )
        assert enrollment is not None
        world.extra[f"{key}_enrollment"] = str(enrollment.id)
        card = issue_card(
            session, household, origin=ORIGIN, keyring=app.extensions["kinga_keyring"]
        )
        world.extra[f"{key}_card"] = card.number
    for key, index, canary in (("own", 0, OWN), ("foreign", 1, FOREIGN)):
        world.extra[f"{key}_job"] = str(_finished_job(session, index, canary))
    session.commit()
    add_payment_objects(session, world)


def add_payment_objects(session: Session, world: World) -> None:
    """A cash program paying both households; one approved cycle per region."""
    from decimal import Decimal

    from registry.distribution.service import create_point
    from registry.payments.approval import approve_cycle
    from registry.payments.cycles import generate_entitlements, open_cycle
    from registry.programs.models import EnrollmentStatus, Program, ProgramBudget
    from registry.users.models import User
    from registry.users.roles import Role
    from tests.factories import region

    program = Program(code="PAY", kind="cash", status="active", names={"en": "Pay"})
    session.add(program)
    session.flush()
    for household in (world.own, world.foreign):
        session.add(
            Enrollment(
                household_id=household.id,
                program_id=program.id,
                status=EnrollmentStatus.ENROLLED,
                decision="eligible",
                amount=Decimal("100.00"),
                decided_by="tests",
                status_changed_by="tests",
            )
        )
    approver = session.scalar(select(User).where(User.username == world.users[Role.ADMIN]))
    assert approver is not None
    for key, index in (("own", 0), ("foreign", 1)):
        area = region(session, index)
        session.add(
            ProgramBudget(
                program_id=program.id,
                area_id=area.id,
                funding_source="Treasury",
                amount=Decimal("1000.00"),
                year=2027,
            )
        )
        session.flush()
        session.refresh(program)
        cycle = open_cycle(
            session, program, "2027-01", area=area, funding_source=None, origin=ORIGIN
        )
        generate_entitlements(session, cycle, origin=ORIGIN)
        approve_cycle(
            session,
            cycle,
            approver_id=approver.id,
            roles=approver.roles,
            scope=Scope.unrestricted(),
            origin=ORIGIN,
        )
        world.extra[f"{key}_cycle"] = str(cycle.id)
        world.extra[f"{key}_entitlement"] = f"C{cycle.id}-{getattr(world, key).number}"
        point = create_point(
            session, f"PT-{key}", f"Point {key}", area, scope=Scope.unrestricted(), origin=ORIGIN
        )
        world.extra[f"{key}_point"] = str(point.id)
    session.commit()


def _finished_job(session: Session, region_index: int, canary: Canary) -> int:
    """A done job started by someone of the region, whose result file names the canary."""
    from registry.jobs import submit_job
    from registry.jobs.queue import config
    from registry.scope import Scope
    from tests.factories import region
    from tests.registry.jobs import bodies  # noqa: F401  (registers the test job kinds)

    area = region(session, region_index)
    origin = Origin(channel=Channel.WEB, actor_name=f"starter-{region_index}")
    job = submit_job(
        session, "tests.mark_items", {"items": 1}, origin=origin, scope=Scope((area.path,))
    )
    folder = config().files_base / "jobs" / str(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "marked.csv").write_text(f"{canary.given_name},{canary.family_name}\n")
    job.state, job.files, job.result = "done", ["marked.csv"], {"marked": 1}
    session.flush()
    return job.id
