"""Service places: capacity, enrolment, a register sent twice counting once, the status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.cases import attendance
from registry.cases.models import AttendanceMark
from registry.errors import Conflict, InvalidInput, NotFound
from registry.origin import Origin
from registry.users.service import scope_of
from tests.factories import community, make_household
from tests.registry.cases.helpers import staff

ORIGIN = Origin.system("tests")


def _place(db_session: Session, capacity: int = 2, region_index: int = 0):  # type: ignore[no-untyped-def]
    return attendance.create_place(
        db_session,
        code="elc-t1",
        name="Test centre",
        kind="early_education",
        area_code=community(db_session, region_index).code,
        capacity=capacity,
        program_code=None,
        origin=ORIGIN,
    )


def test_register_counts_once_and_feeds_the_status(db_session: Session) -> None:
    worker = staff(db_session, "case_worker")
    scope = scope_of(worker)
    place = _place(db_session)
    household = make_household(db_session, community(db_session, 0), members=4)
    for position in (2, 3):
        attendance.enroll(
            db_session, scope, "ELC-T1", household.number, member_position=position, origin=ORIGIN
        )
    with pytest.raises(Conflict):  # full
        attendance.enroll(
            db_session, scope, "ELC-T1", household.number, member_position=4, origin=ORIGIN
        )
    people = attendance.enrolled(place, date.today())
    present = {people[0].person_id}
    count, created = attendance.record_attendance(
        db_session, scope, "ELC-T1", date.today(), present, "r" * 20, origin=ORIGIN
    )
    _, again = attendance.record_attendance(
        db_session, scope, "ELC-T1", date.today(), present, "r" * 20, origin=ORIGIN
    )
    assert count == 2 and created and not again
    marks = db_session.scalar(select(func.count(AttendanceMark.id)))
    assert marks == 2
    status = attendance.place_status(db_session, place, date.today())
    assert (status.enrolled, status.free, status.days_taken) == (2, 0, 1)
    assert status.rate == pytest.approx(0.5)
    # A corrected register of the same day (new key) overwrites the marks.
    attendance.record_attendance(
        db_session,
        scope,
        "ELC-T1",
        date.today(),
        {p.person_id for p in people},
        "s" * 20,
        origin=ORIGIN,
    )
    assert attendance.place_status(db_session, place, date.today()).rate == pytest.approx(1.0)


def test_bad_registers_are_refused(db_session: Session) -> None:
    worker = staff(db_session, "case_worker")
    scope = scope_of(worker)
    _place(db_session)
    for day, present, key in (
        (date.today() + timedelta(days=1), set(), "t" * 20),
        (date.today() - timedelta(days=30), set(), "u" * 20),
        (date.today(), {999_999}, "v" * 20),
        (date.today(), set(), "bad"),
    ):
        with pytest.raises(InvalidInput):
            attendance.record_attendance(
                db_session, scope, "ELC-T1", day, present, key, origin=ORIGIN
            )


def test_a_place_of_another_region_is_not_found(db_session: Session) -> None:
    worker = staff(db_session, "case_worker", region_index=1)
    _place(db_session)
    with pytest.raises(NotFound):
        attendance.get_place(db_session, scope_of(worker), "ELC-T1")
