"""The program managers' desk, through HTTP: roles, drafts with errors, simulate, switch on,
apply, override, and area scoping of enrollment decisions."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.programs.models import Enrollment, RuleSet
from registry.users.roles import Role
from tests.conftest import AuthActions, csrf_token
from tests.factories import community, make_user, region
from tests.registry.programs.helpers import TODAY, make_family, make_program

NEW_RULES = """conditions:
  - children_under_5 >= 1
pmt:
  intercept: 30
  cutoff: 40
  indicators:
    - {name: kids, expression: children_under_5, weight: 8}
benefit: {type: fixed, amount: 300}
"""


def _setup(db_session: Session) -> dict[str, object]:
    area = community(db_session, 0)
    households = [
        make_family(db_session, area, [30, 3, 1], phone="+254711000011"),
        make_family(db_session, area, [30, 2], phone="+254711000012"),
    ]
    program = make_program(db_session, region(db_session, 0))
    make_user(db_session, {Role.PROGRAM_MANAGER}, ["KG"], username="manager")
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="field")
    make_user(db_session, {Role.PROGRAM_MANAGER}, [region(db_session, 1).code], username="faraway")
    db_session.commit()
    return {"program": program, "households": households}


def _post(client: FlaskClient, path: str, data: dict[str, str], page: str) -> object:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def test_only_program_roles_see_the_desk(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _setup(db_session)
    auth.login("field")
    assert client.get("/programs/").status_code == 403
    assert "/programs/" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("manager")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/programs/"' in home
    page = client.get("/programs/").get_data(as_text=True)
    assert "Test Grant" in page and "TST" in page


def test_manager_drafts_simulates_switches_on_and_applies(
    client: FlaskClient, auth: AuthActions, db_session: Session, run_queued_jobs
) -> None:  # type: ignore[no-untyped-def]
    _setup(db_session)
    auth.login("manager")
    assert _post(client, "/programs/TST/apply", {}, "/programs/TST").status_code == 303
    new = "/programs/TST/versions/new"
    refused = _post(
        client,
        new,
        {
            "source": "conditions:\n  - size > 1 and childs > 2\nbenefit: {type: service}",
            "reason": "Try a typo",
            "effective_from": TODAY.isoformat(),
        },
        new,
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "conditions[1], line 1, column 14: unknown field “childs”" in body
    assert "             ^" in body  # the caret under the place
    assert db_session.scalar(select(RuleSet).where(RuleSet.version == 2)) is None

    saved = _post(
        client,
        new,
        {
            "source": NEW_RULES,
            "reason": "New scale from the survey",
            "effective_from": TODAY.isoformat(),
        },
        new,
    )
    assert saved.status_code == 302
    page = client.get("/programs/TST").get_data(as_text=True)
    assert "Version 2" in page and "New scale from the survey" in page
    assert 'class="rule changed"' in page  # versions side by side, changes marked

    sim_page = "/programs/TST/versions/2/simulation"
    assert "No simulation of this version" in client.get(sim_page).get_data(as_text=True)
    started = _post(client, sim_page, {"area": ""}, sim_page)
    assert started.status_code == 303 and "/jobs/" in started.headers["Location"]
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Simulate a rule version" in job_page and 'http-equiv="refresh"' in job_page
    assert "under way" in client.get(sim_page).get_data(as_text=True)
    run_queued_jobs()
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "households evaluated" in job_page and "Open the simulation report" in job_page
    simulation = client.get(sim_page).get_data(as_text=True)
    assert "households evaluated" in simulation
    assert "income score 46 is not below 40" in simulation  # the first family would leave
    assert "children under 5: 1; income score 38 is below 40" in simulation

    edit = "/programs/TST/versions/2/edit"
    changed = _post(
        client,
        edit,
        {
            "source": NEW_RULES.replace("amount: 300", "amount: 350"),
            "reason": "New scale, 350",
            "effective_from": TODAY.isoformat(),
        },
        edit,
    )
    assert changed.status_code == 302
    switched = _post(client, "/programs/TST/versions/2/activate", {}, "/programs/TST")
    assert switched.status_code == 302
    assert client.get(edit).status_code == 302  # an active version is no longer editable
    applied = _post(client, "/programs/TST/apply", {}, "/programs/TST")
    assert applied.status_code == 303 and "/jobs/" in applied.headers["Location"]
    # Nothing was decided inside the request: the job does it.
    assert all(e.rule_set.version == 1 for e in db_session.scalars(select(Enrollment)))
    run_queued_jobs()
    applied_page = client.get(applied.headers["Location"]).get_data(as_text=True)
    assert "changes of status" in applied_page and "Back to the program" in applied_page
    decisions = {
        e.household_id: (e.decision, e.status, e.rule_set.version, e.amount)
        for e in db_session.scalars(select(Enrollment))
    }
    first, second = _setup_ids(db_session)
    assert decisions[first][:3] == ("not_eligible", "exited", 2)
    assert decisions[second] == ("eligible", "enrolled", 2, 350)
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"ruleset.create", "ruleset.edit", "ruleset.activate", "enrollment.apply"} <= actions


def _setup_ids(db_session: Session) -> list[int]:
    from registry.households.models import Household

    return list(db_session.scalars(select(Household.id).order_by(Household.id)))[-2:]


def test_override_through_the_desk_needs_a_reason_and_respects_areas(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    setup = _setup(db_session)
    from datetime import date

    from registry.origin import Origin
    from registry.programs.enrollment import apply_rule_set

    apply_rule_set(db_session, setup["program"], origin=Origin.system(), today=date.today())
    db_session.commit()
    enrollment = db_session.scalars(
        select(Enrollment).where(Enrollment.household_id == setup["households"][1].id)
    ).one()
    path = f"/programs/TST/enrollments/{enrollment.id}"
    auth.login("faraway")
    assert client.get(path).status_code == 404
    assert str(setup["households"][1].number) not in client.get(
        "/programs/TST/enrollments"
    ).get_data(as_text=True)
    auth.logout()
    auth.login("manager")
    listing = client.get("/programs/TST/enrollments?decision=not_eligible").get_data(as_text=True)
    assert setup["households"][1].number in listing
    short = _post(client, path + "/override", {"decision": "eligible", "note": "ok"}, path)
    assert short.status_code == 302
    assert "Write the reason in a full sentence." in client.get(path).get_data(as_text=True)
    note = "Twins born last week, confirmed by the nurse."
    _post(client, path + "/override", {"decision": "eligible", "note": note}, path)
    db_session.refresh(enrollment)
    assert (enrollment.decision, enrollment.status, enrollment.overridden) == (
        "eligible",
        "enrolled",
        True,
    )
    detail = client.get(path).get_data(as_text=True)
    assert note in detail and "override" in detail
    audit = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrollment.override")
    ).one()
    assert audit.actor_name == "manager" and audit.details["reason"] == note
    assert re.search(r"Enrolled", detail)
