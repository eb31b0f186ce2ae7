"""Registers of service places (early-education centres, disability workshops): places and
capacity, enrolled participants, daily attendance taken on a phone, and the figures that feed
the program's status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.cases.models import AttendanceMark, CaseSubmission, PlaceParticipant, ServicePlace
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.service import get_household
from registry.i18n import N_
from registry.origin import Origin
from registry.programs.models import Program
from registry.scope import Scope, in_scope
from registry.submissions.service import KEY_PATTERN

PLACE_KINDS = ("early_education", "disability_workshop")
BACKDATE_DAYS = 7
STATUS_WINDOW_DAYS = 30


def create_place(
    session: Session,
    *,
    code: str,
    name: str,
    kind: str,
    area_code: str,
    capacity: int,
    program_code: str | None,
    origin: Origin,
) -> ServicePlace:
    code = code.strip().upper()
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(N_("Give a code of letters, digits and dashes."), field="code")
    if session.scalar(select(ServicePlace.id).where(ServicePlace.code == code)):
        raise Conflict(N_("A place with this code exists already."))
    if kind not in PLACE_KINDS:
        raise InvalidInput(N_("Unknown kind of place."), field="kind")
    if not 1 <= capacity <= 10_000:
        raise InvalidInput(N_("The capacity must be between 1 and 10000."), field="capacity")
    area = session.scalar(select(Area).where(Area.code == area_code))
    if area is None:
        raise InvalidInput(N_("Unknown area code."), field="area")
    program = None
    if program_code:
        program = session.scalar(select(Program).where(Program.code == program_code))
        if program is None or program.kind != "service":
            raise InvalidInput(N_("Give the code of a service program."), field="program")
    place = ServicePlace(
        code=code,
        name=" ".join(name.split())[:120] or code,
        kind=kind,
        area_id=area.id,
        program_id=program.id if program else None,
        capacity=capacity,
    )
    session.add(place)
    session.flush()
    record(
        session,
        origin,
        "place.create",
        target_type="place",
        target_id=code,
        area_code=area.code,
        details={"kind": kind, "capacity": capacity},
    )
    return place


def places_in(session: Session, scope: Scope) -> list[ServicePlace]:
    stmt = in_scope(select(ServicePlace), scope, ServicePlace.area_id)
    return list(session.scalars(stmt.where(ServicePlace.active).order_by(ServicePlace.code)))


def get_place(session: Session, scope: Scope, code: str) -> ServicePlace:
    stmt = in_scope(select(ServicePlace), scope, ServicePlace.area_id)
    place = session.scalar(stmt.where(ServicePlace.code == code.strip().upper()))
    if place is None:
        raise NotFound(N_("No such place."))
    return place


def enrolled(place: ServicePlace, day: date) -> list[PlaceParticipant]:
    return [
        p
        for p in place.participants
        if p.enrolled_on <= day and (p.left_on is None or p.left_on > day)
    ]


def enroll(
    session: Session,
    scope: Scope,
    code: str,
    household_number: str,
    person_id: int | None = None,
    *,
    member_position: int | None = None,
    origin: Origin,
    today: date | None = None,
) -> PlaceParticipant:
    """Gives a member of a household of the caller's areas a place, while places are free.

    The member is named by id, or by position in the household (1 = head) as a phone asks."""
    today = today or date.today()
    place = get_place(session, scope, code)
    household = get_household(session, scope, household_number)
    members = sorted(household.members, key=lambda m: m.position)
    if member_position is not None and 1 <= member_position <= len(members):
        person_id = members[member_position - 1].id
    person = next((m for m in members if m.id == person_id), None)
    if person is None:
        raise InvalidInput(N_("Choose a member of this household."), field="person")
    current = enrolled(place, today)
    if any(p.person_id == person.id for p in current):
        raise Conflict(N_("This person is enrolled already."))
    if len(current) >= place.capacity:
        raise Conflict(N_("This place is full."))
    participant = next((p for p in place.participants if p.person_id == person.id), None)
    if participant is None:
        participant = PlaceParticipant(person_id=person.id, enrolled_on=today)
        place.participants.append(participant)
    else:
        participant.enrolled_on, participant.left_on = today, None
    session.flush()
    record(
        session,
        origin,
        "place.enroll",
        target_type="place",
        target_id=place.code,
        area_code=place.area.code,
        details={"household": household.number},
    )
    return participant


def leave(
    session: Session,
    scope: Scope,
    code: str,
    person_id: int,
    *,
    origin: Origin,
    today: date | None = None,
) -> None:
    today = today or date.today()
    place = get_place(session, scope, code)
    participant = next((p for p in enrolled(place, today) if p.person_id == person_id), None)
    if participant is None:
        raise InvalidInput(N_("Choose a person enrolled here."), field="person")
    participant.left_on = today
    session.flush()
    record(
        session,
        origin,
        "place.leave",
        target_type="place",
        target_id=place.code,
        area_code=place.area.code,
    )


def record_attendance(
    session: Session,
    scope: Scope,
    code: str,
    day: date,
    present: set[int],
    key: str,
    *,
    origin: Origin,
    today: date | None = None,
) -> tuple[int, bool]:
    """(people marked, saved now): the day's register; absent is everyone not ticked.

    Sent twice (the phone resends after a lost reply), it counts once: the key is kept, and
    each person has one mark per day, which a later register of the same day corrects.
    """
    today = today or date.today()
    place = get_place(session, scope, code)
    if not KEY_PATTERN.match(key or ""):
        raise InvalidInput(N_("This submission has no valid key."), field="submission_key")
    if day > today or day < today - timedelta(days=BACKDATE_DAYS):
        raise InvalidInput(
            N_("Attendance can be taken for today or the last %(n)s days."),
            field="day",
            n=BACKDATE_DAYS,
        )
    people = enrolled(place, day)
    known = {p.person_id for p in people}
    if present - known:
        raise InvalidInput(N_("Choose a person enrolled here."), field="present")
    if session.get(CaseSubmission, key) is not None:
        return len(people), False
    try:
        with session.begin_nested():
            session.add(
                CaseSubmission(
                    key=key, kind="attendance", place_id=place.id, user_id=origin.actor_id
                )
            )
            session.flush()
    except IntegrityError:
        return len(people), False
    marks = {
        m.person_id: m
        for m in session.scalars(
            select(AttendanceMark).where(
                AttendanceMark.place_id == place.id, AttendanceMark.day == day
            )
        )
    }
    for participant in people:
        mark = marks.get(participant.person_id)
        if mark is None:
            mark = AttendanceMark(place_id=place.id, person_id=participant.person_id, day=day)
            session.add(mark)
        mark.present = participant.person_id in present
        mark.recorded_by_id = origin.actor_id
    session.flush()
    record(
        session,
        origin,
        "attendance.record",
        target_type="place",
        target_id=place.code,
        area_code=place.area.code,
        details={"day": day.isoformat(), "present": len(present), "enrolled": len(people)},
    )
    return len(people), True


def marks_of(session: Session, place: ServicePlace, day: date) -> dict[int, bool]:
    rows = session.execute(
        select(AttendanceMark.person_id, AttendanceMark.present).where(
            AttendanceMark.place_id == place.id, AttendanceMark.day == day
        )
    )
    return {person_id: present for person_id, present in rows}


@dataclass(frozen=True)
class PlaceStatus:
    place: ServicePlace
    enrolled: int
    free: int
    days_taken: int
    rate: float | None  # share of present marks over the window; None without marks


def place_status(session: Session, place: ServicePlace, today: date) -> PlaceStatus:
    since = today - timedelta(days=STATUS_WINDOW_DAYS)
    row = session.execute(
        select(
            func.count(AttendanceMark.id),
            func.count(func.distinct(AttendanceMark.day)),
            func.sum(func.cast(AttendanceMark.present, _int_type())),
        ).where(AttendanceMark.place_id == place.id, AttendanceMark.day > since)
    ).one()
    marks, days, present = int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
    count = len(enrolled(place, today))
    return PlaceStatus(
        place=place,
        enrolled=count,
        free=max(place.capacity - count, 0),
        days_taken=days,
        rate=(present / marks) if marks else None,
    )


def _int_type():  # type: ignore[no-untyped-def]
    from sqlalchemy import Integer

    return Integer


def program_places(session: Session, program: Program, today: date) -> list[PlaceStatus]:
    """Counts only (no names) of the places a service program runs: for its status page."""
    places = session.scalars(
        select(ServicePlace)
        .where(ServicePlace.program_id == program.id, ServicePlace.active)
        .order_by(ServicePlace.code)
    )
    return [place_status(session, place, today) for place in places]
