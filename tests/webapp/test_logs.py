"""One JSON log line per request and per job, each with the request id that the response
header, the error page, the audit event and the job share."""

from __future__ import annotations

import json
import logging

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.jobs import Job
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user
from tests.registry.jobs import bodies  # noqa: F401  (registers the test job kinds)
from webapp.logs import RequestIdFilter, json_formatter


def _lines(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, object]]:
    formatter, tag = json_formatter(), RequestIdFilter()
    out = []
    for record in caplog.records:
        if record.name == name:
            tag.filter(record)
            out.append(json.loads(formatter.format(record)))
    return out


def test_each_request_logs_one_json_line_with_its_request_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    (line,) = [entry for entry in _lines(caplog, "kinga.request") if entry["route"] == "/healthz"]
    assert line["request_id"] == request_id and line["status"] == 200
    assert line["message"] == "request" and line["level"] == "INFO" and "duration_ms" in line
    given = client.get("/healthz", headers={"X-Request-ID": "nginx-abcdef123456"})
    assert given.headers["X-Request-ID"] == "nginx-abcdef123456"  # a proxy's id is kept
    forged = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert forged.headers["X-Request-ID"] != "<script>"


def test_route_patterns_not_paths_reach_the_log(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client.post("/sms/africastalking/test-at-token/delivery", data={"id": "x", "status": "Success"})
    client.get("/field/?q=Amina+Otieno")
    text = "\n".join(json.dumps(line) for line in _lines(caplog, "kinga.request"))
    assert "test-at-token" not in text and "Amina" not in text
    assert "/sms/africastalking/<token>/delivery" in text


def test_error_page_audit_event_and_job_share_the_request_id(
    client: FlaskClient, auth: AuthActions, db_session: Session, run_queued_jobs, caplog
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    make_user(db_session, {"program_manager"}, ["KG"], username="logs-manager")
    db_session.commit()
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] in missing.get_data(as_text=True)
    login = auth.login("logs-manager")
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "login.success"))
    assert event is not None and event.request_id == login.headers["X-Request-ID"]
    token = csrf_token(client, "/exports/")
    started = client.post(
        "/exports/", data={"reason": "quarterly review", "format": "csv", "csrf_token": token}
    )
    request_id = started.headers["X-Request-ID"]
    job = db_session.scalar(select(Job).order_by(Job.id.desc()))
    assert job is not None and job.request_id == request_id
    run_queued_jobs()
    job_lines = [line for line in _lines(caplog, "kinga.jobs") if line.get("job_id") == job.id]
    assert {line["message"] for line in job_lines} == {"job started", "job finished"}
    assert all(line["request_id"] == request_id for line in job_lines)
    submitted = db_session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "job.submitted")
        .order_by(AuditEvent.seq.desc())
    )
    assert submitted is not None and submitted.request_id == request_id
    assert request_id in client.get(f"/jobs/{job.id}").get_data(as_text=True)
