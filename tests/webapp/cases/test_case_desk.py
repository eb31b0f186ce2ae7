"""A child-protection case through the web doors: field intake, assignment, assessment on
the field wizard, plan approved by a supervisor, referral, a visit replayed from the phone's
queue, closure; and a sensitive grievance that becomes a case in one step."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.cases.models import Case
from tests.conftest import AuthActions, csrf_token
from tests.factories import community, make_household, make_user, region
from tests.registry.grievances.helpers import lodge


def _as(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    AuthActions(client).login(username)
    return client, csrf_token(client, "/")


def _staff(db_session: Session) -> None:
    first = region(db_session, 0).code
    make_user(db_session, {"field_worker"}, [first], username="field")
    make_user(db_session, {"case_worker"}, [first], username="worker")
    make_user(db_session, {"case_supervisor"}, [first], username="sup")
    make_user(db_session, {"case_supervisor"}, [first], username="sup2")


def test_child_protection_case_end_to_end(app: Flask, db_session: Session) -> None:
    _staff(db_session)
    household = make_household(db_session, community(db_session, 0))
    db_session.commit()
    child = household.members[1]

    field, token = _as(app, "field")
    page = field.get(f"/field/households/{household.number}").get_data(as_text=True)
    assert f"/field/households/{household.number}/case" in page
    response = field.post(
        f"/field/households/{household.number}/case",
        data={
            "csrf_token": token,
            "person": child.id,
            "case_type": "child_protection",
            "reason": "Child left alone at night",
        },
    )
    assert response.status_code == 303 and "/cases/opened/" in response.location
    case = db_session.scalar(select(Case).where(Case.person_id == child.id))
    assert case is not None and case.source == "field" and case.worker_id is None
    number = case.number
    assert field.get(f"/cases/{number}").status_code == 403  # the field worker cannot read it

    worker, wtoken = _as(app, "worker")
    assert worker.get(f"/cases/{number}").status_code == 404  # not assigned yet
    sup, stoken = _as(app, "sup")
    team = sup.get("/cases/team").get_data(as_text=True)
    assert number in team
    worker_id = db_session.scalar(select(Case.id).where(Case.number == number))
    from registry.users.models import User

    worker_user = db_session.scalar(select(User).where(User.username == "worker"))
    assert worker_id and worker_user
    sup.post(f"/cases/{number}/assign", data={"csrf_token": stoken, "worker": worker_user.id})
    assert number in worker.get("/cases/").get_data(as_text=True)

    form = worker.get(f"/cases/{number}/assess").get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answers = {
        "safe_at_home": "no",
        "in_school": "yes",
        "caregiver": "relative",
        "concerns": "Nights alone",
        "risk": "high",
    }
    saved = worker.post(
        f"/cases/{number}/assess",
        data={"csrf_token": wtoken, "submission_key": key, "go": "save", **answers},
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    plan = f"/cases/{number}/plan"
    worker.post(
        plan, data={"csrf_token": wtoken, "do": "add", "kind": "goal", "text": "Safe nights"}
    )
    worker.post(
        plan,
        data={
            "csrf_token": wtoken,
            "do": "add",
            "kind": "action",
            "text": "Meet the aunt",
            "due_on": date.today().isoformat(),
        },
    )
    worker.post(plan, data={"csrf_token": wtoken, "do": "submit"})
    refused = worker.post(plan, data={"csrf_token": wtoken, "do": "approve"}, follow_redirects=True)
    assert "Only a case supervisor can do this." in refused.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(select(Case.plan_status).where(Case.number == number)) == "submitted"
    sup.post(plan, data={"csrf_token": stoken, "do": "approve"})
    worker.post(
        f"/cases/{number}/referrals",
        data={"csrf_token": wtoken, "service": "psychosocial", "provider": "Hope clinic"},
    )

    visit = {
        "csrf_token": wtoken,
        "submission_key": "offline-visit-key-0001",
        "visited_on": date.today().isoformat(),
        "met_person": "yes",
        "risk": "medium",
        "notes": "Better",
        "offline": "1",
        "go": "save",
    }
    first = worker.post(
        f"/cases/{number}/visit", data=visit, headers={"Accept": "application/json"}
    )
    again = worker.post(
        f"/cases/{number}/visit", data=visit, headers={"Accept": "application/json"}
    )
    assert first.json["status"] == "saved" and first.json["created"] is True  # type: ignore[index]
    assert again.json["status"] == "saved" and again.json["created"] is False  # type: ignore[index]

    closed = worker.post(
        f"/cases/{number}/status", data={"csrf_token": wtoken, "do": "close", "reason": "goals_met"}
    )
    assert closed.status_code == 303
    db_session.expire_all()
    case = db_session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    assert case.status == "closed" and case.plan_status == "approved" and case.risk == "medium"
    assert len(case.visits) == 1 and case.referrals[0].status == "sent"
    assert case.assessment == {
        "safe_at_home": False,
        "in_school": True,
        "caregiver": "relative",
        "concerns": "Nights alone",
    }
    page = worker.get(f"/cases/{number}").get_data(as_text=True)
    assert "Hope clinic" in page and "Safe nights" in page
    reads = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.read", AuditEvent.target_id == number)
    ).all()
    assert len(reads) >= 3


def test_a_sensitive_grievance_becomes_a_case_keeping_its_history(
    app: Flask, db_session: Session
) -> None:
    first = region(db_session, 0).code
    make_user(db_session, {"safeguarding_officer"}, [first], username="safe")
    abuse = lodge(db_session, category="abuse", text="A teacher hits the children.")
    db_session.commit()
    safe, token = _as(app, "safe")
    page = safe.get(f"/inbox/{abuse.number}").get_data(as_text=True)
    assert f"/cases/from-grievance/{abuse.number}" in page
    response = safe.post(
        f"/cases/from-grievance/{abuse.number}",
        data={"csrf_token": token, "case_type": "child_protection"},
    )
    assert response.status_code == 303
    case = db_session.scalar(select(Case).where(Case.grievance_id == abuse.id))
    assert case is not None and case.source == "grievance"
    shown = safe.get(f"/cases/{case.number}").get_data(as_text=True)  # a reader of CP cases
    assert "A teacher hits the children." in shown and abuse.number in shown
    again = safe.post(
        f"/cases/from-grievance/{abuse.number}",
        data={"csrf_token": token, "case_type": "child_protection"},
    )
    assert again.status_code == 303 and f"/inbox/{abuse.number}" in again.location
    assert db_session.scalars(select(Case).where(Case.grievance_id == abuse.id)).all() == [case]
