"""`/metrics`: who may scrape it, and the counters moving as the registry is used; then the
multiprocess mode across real gunicorn workers."""

from __future__ import annotations

import signal
import socket
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.jobs import submit_job
from registry.origin import Origin
from registry.outbox.service import queue_text
from registry.scope import Scope
from tests.conftest import csrf_token
from tests.factories import make_user
from tests.registry.jobs import bodies  # noqa: F401  (registers the test job kinds)


def _value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples `name{...}` of a scrape that carry these labels (0 when none)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        metric, _, value = line.rpartition(" ")
        base, _, rest = metric.partition("{")
        if base == name and all(f'{k}="{v}"' in rest for k, v in labels.items()):
            total += float(value)
    return total


def _scrape(client: FlaskClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)


def test_counters_move_as_the_registry_is_used(client: FlaskClient, db_session: Session) -> None:
    make_user(db_session, {"admin"}, ["KG"], username="metrics-admin")
    db_session.commit()
    before = _scrape(client)
    token = csrf_token(client)
    for _ in range(2):
        client.post(
            "/login", data={"username": "metrics-admin", "password": "wrong!", "csrf_token": token}
        )
    queue_text(db_session, to_phone="+254712345678", language="en", body="hello", template="t")
    submit_job(
        db_session,
        "tests.mark_items",
        {"items": 1},
        origin=Origin.cli(),
        scope=Scope.unrestricted(),
    )
    db_session.commit()
    client.post(
        "/ussd/africastalking/test-at-token",
        data={
            "sessionId": "metrics-1",
            "serviceCode": "*384*123#",
            "phoneNumber": "+254799000009",
            "networkCode": "63902",
            "text": "",
        },
    )
    after = _scrape(client)
    assert (
        _value(after, "kinga_login_failures_total")
        == _value(before, "kinga_login_failures_total") + 2
    )
    assert (
        _value(after, "kinga_sms_messages", state="queued")
        == _value(before, "kinga_sms_messages", state="queued") + 1
    )
    assert (
        _value(after, "kinga_jobs", state="queued")
        == _value(before, "kinga_jobs", state="queued") + 1
    )
    assert _value(after, "kinga_http_requests_total", endpoint="auth.login", method="POST") >= 2
    assert _value(after, "kinga_http_request_duration_seconds_count", endpoint="auth.login") >= 3
    assert sum(
        _value(after, "kinga_ussd_sessions_total", outcome=o)
        for o in ("open", "completed", "dropped", "failed")
    ) > sum(
        _value(before, "kinga_ussd_sessions_total", outcome=o)
        for o in ("open", "completed", "dropped", "failed")
    )
    assert _value(after, "kinga_outbox_oldest_unsent_age_seconds") >= 0
    assert _value(after, "kinga_audit_chain_length") > _value(before, "kinga_audit_chain_length")
    assert _value(after, "kinga_instance_disk_free_bytes") > 0
    assert "kinga_db_pool_connections_in_use" in after


def test_other_hosts_need_the_token(app: Flask, settings) -> None:  # type: ignore[no-untyped-def]
    remote = {"REMOTE_ADDR": "10.1.2.3"}
    assert app.test_client().get("/metrics", environ_base=remote).status_code == 403
    app.extensions["kinga"].settings = replace(settings, metrics_token="s3cret-metrics-token")
    client = app.test_client()
    assert client.get("/metrics", environ_base=remote).status_code == 403
    wrong = {"Authorization": "Bearer nope"}
    assert client.get("/metrics", environ_base=remote, headers=wrong).status_code == 403
    good = {"Authorization": "Bearer s3cret-metrics-token"}
    assert client.get("/metrics", environ_base=remote, headers=good).status_code == 200


def test_gunicorn_workers_count_together(tmp_path: Path) -> None:
    """`kinga serve` with two workers: requests answered by either are all in one scrape."""
    from registry.db import make_engine
    from registry.migrate import upgrade
    from tests.scratch import kinga_env, start_kinga

    url = f"sqlite:///{tmp_path}/metrics.db"
    upgrade(make_engine(url))
    env = kinga_env(url, tmp_path / "instance")
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "serve.log"
    with socket.socket() as probe:  # a free port: two test runs on one machine must not meet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_kinga(["serve", "--port", str(port), "--workers", "2"], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - local server
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
        first = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()  # noqa: S310
        for _ in range(30):
            urllib.request.urlopen(base + "/healthz", timeout=10)  # noqa: S310
        scrape = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()  # noqa: S310
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    labels = {"endpoint": "health.healthz", "status": "200"}
    counted = _value(scrape, "kinga_http_requests_total", **labels)
    assert counted - _value(first, "kinga_http_requests_total", **labels) == 30, scrape[:1500]
    assert _value(scrape, "kinga_http_requests_total", endpoint="metrics.metrics") >= 1
    lines = [line for line in log.read_text().splitlines() if '"request"' in line]
    assert lines and all('"request_id"' in line for line in lines)
