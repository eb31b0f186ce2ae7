"""Who reads which case: the assigned worker, the supervisors of its area and the roles its
type allows; child protection is stricter. Checked through the web doors, with a second
region's case worker, a plain officer, a manager and others, on cases of each type."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.cases.intake import Intake, open_case
from registry.origin import Origin
from tests.conftest import AuthActions
from tests.factories import community, make_household, make_user, region

ORIGIN = Origin.system("tests")
MARK = "Zqconfidentialmark"


def _world(db_session: Session) -> dict[str, str]:
    first, second = region(db_session, 0).code, region(db_session, 1).code
    country = region(db_session, 0).parent
    assert country is not None
    users = {
        "assigned": make_user(db_session, {"case_worker"}, [first], username="cw-assigned"),
        "colleague": make_user(db_session, {"case_worker"}, [first], username="cw-colleague"),
        "other_region": make_user(db_session, {"case_worker"}, [second], username="cw-region2"),
        "supervisor": make_user(db_session, {"case_supervisor"}, [first], username="cs-1"),
        "supervisor_2": make_user(db_session, {"case_supervisor"}, [second], username="cs-2"),
        "safeguarding": make_user(db_session, {"safeguarding_officer"}, [first], username="sg-1"),
        "officer": make_user(db_session, {"grievance_officer"}, [first], username="go-1"),
        "manager": make_user(db_session, {"program_manager"}, [country.code], username="pm"),
        "field": make_user(db_session, {"field_worker"}, [first], username="fw-1"),
    }
    household = make_household(db_session, community(db_session, 0), head_name=MARK)
    numbers = {}
    for code in ("child_protection", "disability_inclusion", "early_education"):
        case = open_case(
            db_session,
            Intake(code, "field", "confidential reason", household.members[0], household.area_id),
            origin=ORIGIN,
        )
        case.worker = users["assigned"]
        numbers[code] = case.number
    db_session.commit()
    return numbers


# Who may read a case of each type (everyone else gets 404 or, without the desk, 403).
READERS = {
    "child_protection": {"assigned", "supervisor", "safeguarding"},
    "disability_inclusion": {"assigned", "supervisor"},
    "early_education": {"assigned", "supervisor", "colleague"},
}
NO_DESK = {"officer", "manager", "field"}  # no case.read permission at all


def test_each_case_type_is_read_only_by_whom_it_allows(app: Flask, db_session: Session) -> None:
    numbers = _world(db_session)
    who_logs_in = {
        "assigned": "cw-assigned",
        "colleague": "cw-colleague",
        "other_region": "cw-region2",
        "supervisor": "cs-1",
        "supervisor_2": "cs-2",
        "safeguarding": "sg-1",
        "officer": "go-1",
        "manager": "pm",
        "field": "fw-1",
    }
    problems = []
    for who, username in who_logs_in.items():
        client = app.test_client()
        AuthActions(client).login(username)
        listing = client.get("/cases/")
        team = client.get("/cases/team")
        for code, number in numbers.items():
            page = client.get(f"/cases/{number}")
            allowed = who in READERS[code]
            expected = 200 if allowed else (403 if who in NO_DESK else 404)
            if page.status_code != expected:
                problems.append(f"{who} {code}: {page.status_code} != {expected}")
            shown = listing.get_data(as_text=True) + team.get_data(as_text=True)
            if not allowed and (number in shown or (who in NO_DESK and MARK in shown)):
                problems.append(f"{who} {code}: listed")
        if who == "manager":
            figures = client.get("/cases/types/figures").get_data(as_text=True)
            assert client.get("/cases/types/figures").status_code == 200
            if MARK in figures or any(n in figures for n in numbers.values()):
                problems.append("manager figures name a case")
    assert not problems, problems


def test_every_read_is_audited_and_the_audit_names_nobody(app: Flask, db_session: Session) -> None:
    numbers = _world(db_session)
    client = app.test_client()
    AuthActions(client).login("cs-1")
    for number in numbers.values():
        assert client.get(f"/cases/{number}").status_code == 200
    client.get("/cases/")  # the supervisor's list names every case of the area
    events = db_session.scalars(select(AuditEvent).where(AuditEvent.action.like("case.%"))).all()
    reads = {e.target_id for e in events if e.action == "case.read"}
    assert reads == set(numbers.values())
    listed = [e for e in events if e.action == "case.list"]
    assert listed and set(numbers.values()) <= set(listed[-1].details["cases"])
    assert all(MARK not in str(e.details) and "confidential" not in str(e.details) for e in events)


def test_a_worker_of_another_region_cannot_touch_a_case(app: Flask, db_session: Session) -> None:
    numbers = _world(db_session)
    client = app.test_client()
    AuthActions(client).login("cw-region2")
    from tests.conftest import csrf_token

    token = csrf_token(client, "/")
    number = numbers["early_education"]
    for path, data in (
        ("notes", {"text": "x"}),
        ("status", {"do": "close", "reason": "moved_away"}),
        ("visit", {"submission_key": "k" * 20, "visited_on": "2026-01-01", "met_person": "yes"}),
    ):
        assert (
            client.post(f"/cases/{number}/{path}", data={**data, "csrf_token": token}).status_code
            == 404
        )
    from registry.cases.models import Case

    db_session.expire_all()
    case = db_session.scalar(select(Case).where(Case.number == number))
    assert case is not None and case.status == "open" and case.visits == []
    assert [e.kind for e in case.events] == ["opened"]
