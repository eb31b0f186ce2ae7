"""Demo data: the category set and realistic grievances in both demo regions, in every state."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.errors import Conflict
from registry.grievances import actions
from registry.grievances.categories import CategoryInput, save_category
from registry.grievances.demo_data import CATEGORIES, LANGUAGES, SAMPLES
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.offices import officers_covering, officers_of
from registry.grievances.queries import Viewer
from registry.grievances.service import GrievanceData, lodge_grievance
from registry.grievances.states import Decision, GrievanceChannel
from registry.households.models import Household, Person
from registry.origin import Origin
from registry.scope import Scope
from registry.users.service import origin_for

PER_REGION = 14


def load_categories(session: Session, origin: Origin) -> None:
    for position, (code, parent, sla, priority, sensitive, team, names) in enumerate(CATEGORIES):
        if session.scalar(select(GrievanceCategory.id).where(GrievanceCategory.code == code)):
            continue
        save_category(
            session,
            CategoryInput(
                code=code,
                names=dict(zip(LANGUAGES, names, strict=True)),
                sla_hours=sla,
                default_priority=priority,
                sensitive=sensitive,
                team=team,
                parent_code=parent,
                position=position,
            ),
            origin=origin,
            create=True,
        )


def _people_in(session: Session, region: Area, rng: random.Random, count: int) -> list[Person]:
    stmt = (
        select(Person)
        .join(Household, Household.id == Person.household_id)
        .join(Area, Area.id == Household.area_id)
        .where(Area.path.startswith(region.path), Person.phone.is_not(None))
        .order_by(Person.id)
        .limit(count * 5)
    )
    people = list(session.scalars(stmt))
    rng.shuffle(people)
    return people[:count]


def _work_on(
    session: Session, grievance: Grievance, rng: random.Random, step: int, origin: Origin
) -> None:
    """Moves a demo grievance through a realistic part of its life."""
    sensitive = grievance.category.sensitive
    officers = officers_of(session, grievance.handling_area, sensitive=sensitive)
    officers = officers or officers_covering(session, grievance.area, sensitive=sensitive)
    if not officers or step % 5 == 0:
        return  # stays new
    officer = officers[0]
    who = origin_for(officer, origin.channel, "en")
    viewer = Viewer(scope=Viewer.system().scope, user_id=officer.id, roles=officer.roles)
    number = grievance.number
    actions.assign_grievance(session, viewer, number, officer.id, origin=who)
    if step % 5 == 1:
        return
    actions.add_note(session, viewer, number, "Called the pay point agent; checking.", origin=who)
    actions.reply_to_complainant(
        session, viewer, number, "We are looking into it and will answer soon.", origin=who
    )
    if step % 5 == 2:
        return
    if step % 5 == 3:
        actions.put_on_hold(session, viewer, number, "Waiting for the payment agency.", origin=who)
        return
    decision = rng.choice(list(Decision))
    actions.resolve_grievance(
        session, viewer, number, decision, "Checked with the payment list.", origin=who
    )


def load_demo(session: Session, rng: random.Random, origin: Origin) -> None:
    load_categories(session, origin)
    regions = list(
        session.scalars(select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.id))
    )[:2]
    for region in regions:
        for step, person in enumerate(_people_in(session, region, rng, PER_REGION)):
            category, text, channel = SAMPLES[step % len(SAMPLES)]
            grievance = lodge_grievance(
                session,
                GrievanceData(
                    category_code=category,
                    text=text,
                    area_code=None,
                    complainant_phone=person.phone,
                    person_id=person.id,
                    anonymous=step % 7 == 6,
                    consent_to_contact=True,
                    language=person.language,
                    channel=GrievanceChannel(channel),
                ),
                origin=origin,
                scope=Scope.unrestricted(),
            )
            # Spread arrival times over the past weeks so that some are late.
            age = timedelta(hours=rng.randint(2, 24 * 20))
            grievance.received_at -= age
            grievance.due_at -= age
            for event in grievance.events:
                event.at -= age
            try:
                _work_on(session, grievance, rng, step, origin)
            except Conflict:
                continue
    session.flush()
