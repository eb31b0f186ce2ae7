"""Findings 2, 8 and 11 of the first security review (docs/security.md): what officers and
managers of one region can learn about another, and the reads and exports left unguarded."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.users.roles import Role
from tests.conftest import AuthActions
from tests.factories import community, make_user, region
from tests.registry.programs.helpers import make_family, make_program
from webapp.cli.programs import cli as programs_cli


def _two_region_program(db_session: Session) -> tuple[object, object]:
    near = make_family(db_session, community(db_session, 0), [30, 3, 1], phone="+254711000021")
    far = make_family(db_session, community(db_session, 1), [30, 2, 1], phone="+254711000022")
    make_program(
        db_session,
        region(db_session, 0),
        areas=[region(db_session, 0).code, region(db_session, 1).code],
    )
    own = region(db_session, 0).code
    make_user(db_session, {Role.PROGRAM_MANAGER}, [own], username="scoped-manager")
    make_user(db_session, {Role.AUDITOR}, [own], username="scoped-auditor")
    db_session.commit()
    return near, far


def test_finding_2_simulation_is_scoped_to_the_callers_areas(
    app: Flask, db_session: Session
) -> None:
    from tests.conftest import csrf_token
    from tests.jobs import job_url, run_jobs

    near, far = _two_region_program(db_session)
    page_url = "/programs/TST/versions/1/simulation"
    manager = app.test_client()
    AuthActions(manager).login("scoped-manager")
    other = region(db_session, 1).code
    assert manager.get(f"{page_url}?area={other}").status_code == 404
    token = csrf_token(manager, page_url)
    refused = manager.post(page_url, data={"area": other, "csrf_token": token})
    assert refused.status_code == 404  # no job is started for another region
    job_url(manager.post(page_url, data={"csrf_token": token}))  # a simulation is a job
    run_jobs(manager)
    page = manager.get(page_url).get_data(as_text=True)
    assert near.number in page and far.number not in page
    assert f'value="{other}"' not in page  # the other region is not even offered
    auditor = app.test_client()
    AuthActions(auditor).login("scoped-auditor")
    job_url(auditor.post(page_url, data={"csrf_token": csrf_token(auditor, page_url)}))
    run_jobs(auditor)
    page = auditor.get(page_url).get_data(as_text=True)
    assert "households evaluated" in page
    assert near.number not in page  # no household examples for a role that may not view them


def test_finding_2_cli_simulation_as_a_user(app: Flask, db_session: Session) -> None:
    near, far = _two_region_program(db_session)
    runner = app.test_cli_runner()
    as_manager = runner.invoke(programs_cli, ["simulate", "TST", "--user", "scoped-manager"])
    assert as_manager.exit_code == 0, as_manager.output
    assert near.number in as_manager.output and far.number not in as_manager.output
    as_auditor = runner.invoke(programs_cli, ["simulate", "TST", "--user", "scoped-auditor"])
    assert near.number not in as_auditor.output
    everything = runner.invoke(programs_cli, ["simulate", "TST"])
    assert near.number in everything.output and far.number in everything.output


def _walk_in(client: FlaskClient, area_code: str, phone: str, text: str) -> str:
    from tests.conftest import csrf_token

    token = csrf_token(client, "/inbox/new")
    client.post(
        "/inbox/new",
        data={
            "category": "other",
            "text": text,
            "area": area_code,
            "phone": phone,
            "consent": "1",
            "language": "en",
            "csrf_token": token,
        },
    )
    return text


def test_finding_8_walk_in_links_a_person_only_inside_the_officers_scope(
    app: Flask, db_session: Session
) -> None:
    from registry.grievances.models import Grievance

    near = make_family(db_session, community(db_session, 0), [40, 5], phone="+254711000031")
    far = make_family(db_session, community(db_session, 1), [40, 5], phone="+254711000032")
    make_user(db_session, {Role.GRIEVANCE_OFFICER}, [region(db_session, 0).code], username="go")
    db_session.commit()
    officer = app.test_client()
    AuthActions(officer).login("go")
    own_area = community(db_session, 0).code
    _walk_in(officer, own_area, "+254711000032", "Walk-in about a far phone")
    _walk_in(officer, own_area, "+254711000031", "Walk-in about a near phone")
    far_case = db_session.scalar(
        select(Grievance).where(Grievance.text == "Walk-in about a far phone")
    )
    near_case = db_session.scalar(
        select(Grievance).where(Grievance.text == "Walk-in about a near phone")
    )
    assert far_case.person_id is None  # nothing says the phone is registered elsewhere
    assert near_case.person_id == near.head.id
    page = officer.get(f"/inbox/{far_case.number}").get_data(as_text=True)
    assert "registered person" not in page
    assert far.head.id != near.head.id


def test_finding_11_inbox_export_goes_through_the_export_service(
    app: Flask, db_session: Session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from registry.audit.models import AuditEvent
    from registry.privacy import exports
    from tests.conftest import csrf_token
    from tests.jobs import download_result
    from tests.registry.grievances.helpers import lodge

    for _ in range(3):
        lodge(db_session, region_index=0)
    make_user(
        db_session,
        {Role.GRIEVANCE_OFFICER, Role.PROGRAM_MANAGER},
        [region(db_session, 0).code],
        username="gm",
    )
    db_session.commit()
    client = app.test_client()
    AuthActions(client).login("gm")
    token = csrf_token(client, "/inbox/export?status=all")
    without = client.post("/inbox/export", data={"status": "all", "csrf_token": token})
    assert without.status_code == 400  # no reason, no file
    monkeypatch.setitem(exports.EXPORT_CAPS, Role.PROGRAM_MANAGER, 2)
    over = client.post(
        "/inbox/export",
        data={"status": "all", "reason": "weekly complaints review", "csrf_token": token},
    )
    assert over.status_code == 400 and "your role may export 2" in over.get_data(as_text=True)
    monkeypatch.setitem(exports.EXPORT_CAPS, Role.PROGRAM_MANAGER, 5_000)
    ok = client.post(
        "/inbox/export",
        data={
            "status": "all",
            "reason": "weekly complaints review",
            "format": "xlsx",
            "csrf_token": token,
        },
    )
    file = download_result(client, ok)  # written by a job; only the exporter may fetch it
    assert file.status_code == 200 and file.data.startswith(b"PK")
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "export.grievances"))
    assert event.details["reason"] == "weekly complaints review"
    assert event.details["grievances"] >= 3 and event.actor_name == "gm"


def test_finding_11_opening_a_household_page_is_an_audited_read(
    app: Flask, db_session: Session
) -> None:
    from registry.audit.models import AuditEvent

    household = make_family(db_session, community(db_session, 0), [40, 5])
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="fw-read")
    db_session.commit()
    client = app.test_client()
    AuthActions(client).login("fw-read")
    assert client.get(f"/field/households/{household.number}").status_code == 200
    event = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "household.view", AuditEvent.target_id == household.number
        )
    )
    assert event is not None and event.actor_name == "fw-read"


def test_finding_11_retention_erases_long_closed_grievances(db_session: Session) -> None:
    from datetime import timedelta

    from registry.db import utcnow
    from registry.grievances.models import Grievance
    from registry.origin import Origin
    from registry.privacy.retention import run_retention
    from tests.registry.grievances.helpers import lodge

    old = lodge(db_session, text="Old complaint with details")
    recent = lodge(db_session, text="Recent complaint with details")
    now = utcnow()
    for grievance, closed in ((old, now - timedelta(days=800)), (recent, now)):
        grievance.status = "closed"
        grievance.closed_at = closed
    db_session.flush()
    report = run_retention(db_session, origin=Origin.cli("tests"), now=now)
    assert report.other["registry.grievances.retention.erase_closed_grievances"] == 1
    db_session.expire_all()
    erased, kept = db_session.get(Grievance, old.id), db_session.get(Grievance, recent.id)
    assert erased.text == "[removed]" and erased.complainant_phone is None
    assert erased.number == old.number and erased.category_id == old.category_id
    assert kept.text == "Recent complaint with details" and kept.complainant_phone is not None
    again = run_retention(db_session, origin=Origin.cli("tests"), now=now)
    assert again.other["registry.grievances.retention.erase_closed_grievances"] == 0
