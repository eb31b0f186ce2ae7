"""Opening a case: from the field desk (a household member), from a grievance (in one step,
keeping its history), or from a referral by another service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.cases import types
from registry.cases.access import CASE_NUMBER_LENGTH
from registry.cases.models import Case
from registry.cases.schedule import refresh_due
from registry.cases.timeline import log_case_event
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.grievances.queries import Viewer, get_grievance, require_handler
from registry.grievances.states import EventKind
from registry.grievances.timeline import log_event
from registry.households.models import Household, Person
from registry.households.service import get_household
from registry.i18n import N_
from registry.numbers import random_number
from registry.origin import Origin
from registry.scope import Scope
from registry.users.roles import Permission, can

MAX_REASON = 2000
SOURCES = ("field", "grievance", "referral")


@dataclass(frozen=True)
class Intake:
    case_type_code: str
    source: str
    reason: str
    person: Person | None
    area_id: int
    referred_by: str | None = None
    grievance_id: int | None = None


def clean_text(
    value: str | None, field: str, *, required: bool = True, limit: int = MAX_REASON
) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise InvalidInput(N_("Please write something."), field=field)
    if len(text) > limit:
        raise InvalidInput(N_("Please keep the text under %(n)s characters."), field=field, n=limit)
    return text


def _new_number(session: Session) -> str:
    while True:
        number = random_number(CASE_NUMBER_LENGTH)
        if not session.scalar(select(Case.id).where(Case.number == number)):
            return number


def open_case(
    session: Session, intake: Intake, *, origin: Origin, today: date | None = None
) -> Case:
    """Creates the case at the stage its type starts with, the first visit due soon.

    A case worker opening a referral takes it; a case opened in the field or from a grievance
    waits in the supervisor's "unassigned" list.
    """
    today = today or date.today()
    case_type = types.require_type(session, intake.case_type_code)
    if intake.source not in SOURCES:
        raise InvalidInput(N_("Unknown channel."), field="source")
    takes_it = intake.source == "referral" and can(origin.roles, Permission.CASE_HANDLE)
    case = Case(
        number=_new_number(session),
        case_type=case_type,
        person=intake.person,
        area_id=intake.area_id,
        source=intake.source,
        referred_by=intake.referred_by,
        grievance_id=intake.grievance_id,
        reason=intake.reason,
        status="open",
        stage=types.stage_for(case_type, "opened"),
        worker_id=origin.actor_id if takes_it else None,
        opened_by_id=origin.actor_id,
        opened_at=utcnow(),
        next_visit_on=today + timedelta(days=case_type.definition["first_visit_within_days"]),
    )
    session.add(case)
    session.flush()
    session.refresh(case)
    refresh_due(case)
    log_case_event(
        session,
        case,
        "opened",
        origin,
        text=intake.reason,
        details={"type": case_type.code, "version": case_type.version, "source": intake.source},
    )
    return case


def _member(household: Household, person_id: int | None) -> Person:
    for person in household.members:
        if person.id == person_id:
            return person
    raise InvalidInput(N_("Choose a member of this household."), field="person")


def open_from_field(
    session: Session,
    scope: Scope,
    household_number: str,
    person_id: int | None,
    case_type_code: str,
    reason: str,
    *,
    origin: Origin,
) -> Case:
    """A field worker opens a case on a member of a household of their areas."""
    household = get_household(session, scope, household_number)
    person = _member(household, person_id)
    return open_case(
        session,
        Intake(
            case_type_code=case_type_code,
            source="field",
            reason=clean_text(reason, "reason"),
            person=person,
            area_id=household.area_id,
        ),
        origin=origin,
    )


def open_from_referral(
    session: Session,
    scope: Scope,
    household_number: str,
    person_id: int | None,
    case_type_code: str,
    referred_by: str,
    reason: str,
    *,
    origin: Origin,
) -> Case:
    """Another service (a school, a clinic, the police) refers a person."""
    household = get_household(session, scope, household_number)
    person = _member(household, person_id)
    return open_case(
        session,
        Intake(
            case_type_code=case_type_code,
            source="referral",
            reason=clean_text(reason, "reason"),
            person=person,
            area_id=household.area_id,
            referred_by=clean_text(referred_by, "referred_by", limit=120),
        ),
        origin=origin,
    )


def open_from_grievance(
    session: Session, viewer: Viewer, number: str, case_type_code: str, *, origin: Origin
) -> Case:
    """A grievance (abuse, exploitation...) becomes a case in one step.

    The grievance stays as it is, with its whole timeline, linked from the case; its timeline
    gets a line saying which case took it over. A grievance becomes at most one case.
    """
    require_handler(viewer)  # whoever turns it into a case reads grievances for a living
    grievance = get_grievance(session, viewer, number)
    if session.scalar(select(Case.id).where(Case.grievance_id == grievance.id)):
        raise Conflict(N_("This grievance is already a case."))
    case = open_case(
        session,
        Intake(
            case_type_code=case_type_code,
            source="grievance",
            reason=grievance.text,
            person=session.get(Person, grievance.person_id) if grievance.person_id else None,
            area_id=grievance.area_id,
            grievance_id=grievance.id,
        ),
        origin=origin,
    )
    log_event(
        session,
        grievance,
        EventKind.NOTE,
        origin,
        text=f"case {case.number}",
        details={"case": case.number},
    )
    return case
