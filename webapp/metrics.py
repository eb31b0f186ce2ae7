"""`GET /metrics` in Prometheus text format: loopback, or `Authorization: Bearer
KINGA_METRICS_TOKEN`. Requests and latency are counted in every gunicorn worker
(prometheus-client's multiprocess mode when PROMETHEUS_MULTIPROC_DIR is set, as `kinga serve`
does); the registry's state (SMS, jobs, USSD, logins, audit) is read from the database."""

from __future__ import annotations

import hmac
import ipaddress
import os
import shutil
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from registry.db import utcnow
from registry.jobs.models import JobState
from registry.monitoring import snapshot
from registry.settings import instance_dir
from webapp.state import state

bp = Blueprint("metrics", __name__)

PROCESS = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "kinga_http_requests",
    "HTTP requests answered, by route and status.",
    ["endpoint", "method", "status"],
    registry=PROCESS,
)
LATENCY = Histogram(
    "kinga_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
    registry=PROCESS,
)
POOL_IN_USE = Gauge(
    "kinga_db_pool_connections_in_use",
    "Database connections checked out of the pool (all web workers together).",
    multiprocess_mode="livesum",
    registry=PROCESS,
)
POOL_SIZE = Gauge(
    "kinga_db_pool_size",
    "Connections each web worker's pool keeps.",
    multiprocess_mode="max",
    registry=PROCESS,
)


def _endpoint() -> str:
    return request.url_rule.endpoint if request.url_rule is not None else "unmatched"


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    endpoint = _endpoint()
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    pool = state().engine.pool
    if hasattr(pool, "checkedout"):
        POOL_IN_USE.set(pool.checkedout())
        POOL_SIZE.set(pool.size() if hasattr(pool, "size") else 0)
    return response


class RegistryCollector:
    """Families computed at scrape time from the database (shared by every process)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):  # type: ignore[no-untyped-def]
        with state(self.app).sessionmaker() as session:
            snap = snapshot(session, utcnow())
        sms = GaugeMetricFamily("kinga_sms_messages", "Outbox messages by state.", labels=["state"])
        for status, count in sorted(snap.sms.items()):
            sms.add_metric([status], count)
        yield sms
        yield GaugeMetricFamily(
            "kinga_outbox_oldest_unsent_age_seconds",
            "Age of the oldest message still waiting to be sent (0 when none waits).",
            value=snap.oldest_unsent_seconds,
        )
        jobs = GaugeMetricFamily("kinga_jobs", "Jobs by state.", labels=["state"])
        for job_state in JobState:
            jobs.add_metric([str(job_state)], snap.jobs.get(job_state, 0))
        yield jobs
        ussd = CounterMetricFamily(
            "kinga_ussd_sessions", "USSD sessions by outcome.", labels=["outcome"]
        )
        for outcome, count in sorted(snap.ussd_sessions.items()):
            ussd.add_metric([outcome], count)
        yield ussd
        yield CounterMetricFamily(
            "kinga_login_failures",
            "Refused logins (wrong password or locked).",
            value=snap.login_failures,
        )
        yield GaugeMetricFamily(
            "kinga_audit_chain_length", "Events in the audit hash chain.", value=snap.audit_length
        )
        if snap.last_verification_ok is not None:
            yield GaugeMetricFamily(
                "kinga_audit_last_verification_ok",
                "1 when the last audit chain verification found it intact, 0 when it did not.",
                value=1 if snap.last_verification_ok else 0,
            )
        usage = shutil.disk_usage(instance_dir())
        yield GaugeMetricFamily(
            "kinga_instance_disk_free_bytes", "Free space where instance/ lives.", value=usage.free
        )
        yield GaugeMetricFamily(
            "kinga_instance_disk_free_ratio",
            "Free share of the disk where instance/ lives.",
            value=usage.free / usage.total if usage.total else 0,
        )


def _allowed() -> bool:
    token = state().settings.metrics_token
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:], token):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def metrics() -> Response:
    if not _allowed():
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        body = generate_latest(processes)
    else:
        body = generate_latest(PROCESS)
    database = CollectorRegistry()
    database.register(RegistryCollector(current_app._get_current_object()))  # type: ignore[attr-defined]
    body += generate_latest(database)
    return Response(body, content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_count)
    app.register_blueprint(bp)
