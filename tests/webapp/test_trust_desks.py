"""The auditor desk, the export desk, public statistics, and audited refusals."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.checkpoint import load_or_create_key, sign_head, write_checkpoint
from registry.audit.models import AuditEvent
from registry.settings import instance_dir
from tests.conftest import csrf_token
from tests.jobs import download_result
from tests.security import tamper
from tests.security.world import build_world, client_as


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_auditor_filters_and_verifies(app: Flask, db_session: Session) -> None:
    world = build_world(db_session)
    client = client_as(app, world, "auditor")
    page = client.get("/audit/?action=household.register").get_data(as_text=True)
    assert world.own.number in page and world.foreign.number in page
    assert "<code>login.success</code>" not in page and "<code>household.register" in page
    only = client.get(f"/audit/?target={world.own.number}").get_data(as_text=True)
    assert world.own.number in only and world.foreign.number not in only
    token = csrf_token(client, "/audit/")
    verified = client.post("/audit/verify", data={"csrf_token": token}).get_data(as_text=True)
    assert "The log is intact" in verified
    assert _events(db_session, "audit.verify")[-1].details["ok"] is True

    tamper.edit(db_session, world_seq(db_session, world.own.number))
    db_session.commit()
    broken = client.post("/audit/verify", data={"csrf_token": token}).get_data(as_text=True)
    assert "was tampered with at record" in broken
    assert "a record was changed after it was written" in broken


def world_seq(session: Session, number: str) -> int:
    event = session.scalar(select(AuditEvent).where(AuditEvent.target_id == number))
    assert event is not None
    return event.seq


def test_checkpoint_endpoint_and_public_key(app: Flask, db_session: Session) -> None:
    world = build_world(db_session)
    client = client_as(app, world, "auditor")
    assert client.get("/audit/checkpoint.json").status_code == 404
    key = load_or_create_key(instance_dir())
    write_checkpoint(instance_dir(), sign_head(db_session, key))
    served = client.get("/audit/checkpoint.json")
    assert served.status_code == 200 and json.loads(served.data)["signature"]
    jwk = app.test_client().get("/.well-known/kinga-audit-key.json").get_json()
    assert jwk["crv"] == "Ed25519" and jwk["x"]
    assert client_as(app, world, "field_worker").get("/audit/checkpoint.json").status_code == 403


def test_refused_access_is_audited(app: Flask, db_session: Session) -> None:
    world = build_world(db_session)
    worker = client_as(app, world, "field_worker")
    assert worker.get("/audit/").status_code == 403
    refused = _events(db_session, "access.refused")
    assert refused and refused[-1].details["status"] == 403
    assert refused[-1].actor_name == world.users["field_worker"]
    token = csrf_token(worker, "/")
    response = worker.post(
        "/exports/subject-access",
        data={"number": world.foreign.number, "reason": "looking around", "csrf_token": token},
    )
    assert response.status_code == 404
    last = _events(db_session, "access.refused")[-1]
    assert last.details["status"] == 404 and last.target_id == "privacy.subject_access"


def test_export_desk_downloads_and_refuses_without_reason(app: Flask, db_session: Session) -> None:
    world = build_world(db_session)
    client = client_as(app, world, "program_manager")
    assert "Why do you need this export?" in client.get("/exports/").get_data(as_text=True)
    token = csrf_token(client, "/exports/")
    refused = client.post("/exports/", data={"reason": "", "format": "csv", "csrf_token": token})
    assert refused.status_code == 400 and "State why you need this export" in refused.get_data(
        as_text=True
    )
    started = client.post(
        "/exports/", data={"reason": "Quarterly review", "format": "xlsx", "csrf_token": token}
    )
    assert not _events(db_session, "export.households")  # the file is made by a job
    ok = download_result(client, started)
    assert ok.status_code == 200 and ok.data.startswith(b"PK")
    assert ok.headers["Cache-Control"] == "no-store"
    assert "attachment; filename=kinga-households-" in ok.headers["Content-Disposition"]
    assert _events(db_session, "export.households")[-1].details["format"] == "xlsx"


def test_public_statistics_need_no_login(app: Flask, db_session: Session) -> None:
    build_world(db_session)
    client = app.test_client()
    page = client.get("/statistics").get_data(as_text=True)
    assert "Households by region" in page and "hidden" in page
    data = client.get("/api/v1/statistics/households?lang=sw").get_json()
    assert data["threshold"] == 5 and len(data["regions"]) == 3
    for region in data["regions"]:
        for value in [*region["counts"].values(), region["total"]]:
            assert value is None or value == 0 or value >= 5
