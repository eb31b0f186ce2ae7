"""A child-protection case through the web doors: field intake, assignment, assessment on
the field wizard, plan approved by a supervisor, referral, a visit replayed from the phone's
queue, closure; and a sensitive grievance that becomes a case in one step."""

from __future__ import annotations

import re
from datetime import date

import pytest
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


# Per type: answers as posted, as saved, a service, a closure reason, the risk after a visit.
TYPES = {
    "child_protection": (
        {"safe_at_home": "no", "in_school": "yes", "caregiver": "relative",
         "concerns": "Nights alone", "risk": "high"},
        {"safe_at_home": False, "in_school": True, "caregiver": "relative",
         "concerns": "Nights alone"},
        "psychosocial", "goals_met", "medium",
    ),
    "disability_inclusion": (
        {"walks_alone": "no", "has_device": "no", "works": "no", "risk": "high"},
        {"walks_alone": False, "has_device": False, "works": False},
        "assistive_device", "goals_met", "low",
    ),
    "early_education": (
        {"age_months": "40", "attended_before": "no", "distance": "near", "risk": "low"},
        {"age_months": 40, "attended_before": False, "distance": "near"},
        "centre_place", "started_school", "high",
    ),
}  # fmt: skip


@pytest.mark.parametrize("code", list(TYPES))
def test_a_case_of_each_type_end_to_end(app: Flask, db_session: Session, code: str) -> None:
    answers, clean, service, reason, later_risk = TYPES[code]
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
            "case_type": code,
            "reason": "Child left alone at night",
        },
    )
    assert response.status_code == 303 and "/cases/opened/" in response.location
    case = db_session.scalar(select(Case).where(Case.person_id == child.id))
    assert case is not None and case.source == "field" and case.worker_id is None
    number = case.number
    assert field.get(f"/cases/{number}").status_code == 403  # the field worker cannot read it

    worker, wtoken = _as(app, "worker")
    # Not assigned yet: hidden, except early education, which every case worker may read.
    expected = 200 if code == "early_education" else 404
    assert worker.get(f"/cases/{number}").status_code == expected
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
        data={"csrf_token": wtoken, "service": service, "provider": "Hope clinic"},
    )
    db_session.expire_all()
    referral = db_session.scalar(select(Case).where(Case.number == number)).referrals[0]  # type: ignore[union-attr]
    for status in ("accepted", "given"):
        worker.post(
            f"/cases/{number}/referrals",
            data={"csrf_token": wtoken, "do": "status", "referral": referral.id, "status": status},
        )

    visit = {
        "csrf_token": wtoken,
        "submission_key": "offline-visit-key-0001",
        "visited_on": date.today().isoformat(),
        "met_person": "yes",
        "risk": later_risk,
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
        f"/cases/{number}/status", data={"csrf_token": wtoken, "do": "close", "reason": reason}
    )
    assert closed.status_code == 303
    db_session.expire_all()
    case = db_session.scalar(select(Case).where(Case.number == number))
    assert case is not None
    assert case.status == "closed" and case.plan_status == "approved" and case.risk == later_risk
    assert len(case.visits) == 1 and case.referrals[0].status == "given"
    assert case.assessment == clean and case.close_reason == reason
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
