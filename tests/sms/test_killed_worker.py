"""A worker killed mid-batch loses nothing; only messages it had handed to the gateway but not
yet recorded as sent may go out twice. On SQLite, and on PostgreSQL + Redis when the suite has
them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from registry.db import make_engine, make_sessionmaker
from registry.migrate import upgrade
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.outbox.service import queue_text
from sms.providers.africastalking import AfricasTalkingProvider
from sms.worker import OutboxWorker
from tests.scratch import TEST_REDIS_URL, scratch_database
from tests.sms.fake_gateway import FakeGateway

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 40
THREADS = 4


def test_kill_minus_nine_mid_batch(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "smskill") as url:
        _kill_mid_batch(tmp_path, url)


def _kill_mid_batch(tmp_path: Path, url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        for n in range(MESSAGES):
            queue_text(session, to_phone="+254712345678", language="en", body=f"m{n}", template="t")
        session.commit()
    with FakeGateway() as gateway:
        gateway.mode, gateway.slow_seconds = "slow", 0.15  # slow, but accepted
        env = {
            **os.environ,
            "KINGA_DATABASE_URL": url,
            "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
            "KINGA_REDIS_URL": TEST_REDIS_URL or "",
            "KINGA_SMS_PROVIDER": "africastalking",
            "AT_USERNAME": "sandbox",
            "AT_API_KEY": "key",
            "KINGA_AT_API_URL": gateway.url,
        }
        kinga = [sys.executable, "-c", "from webapp.cli import main; main()"]
        worker = subprocess.Popen(  # noqa: S603 - `kinga sms worker` in its own process
            [*kinga, "sms", "worker", "--threads", str(THREADS), "--batch", "100"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while len(gateway.requests) < 10 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        with factory() as session:
            stuck = session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status == OutboxStatus.SENDING
                )
            )
            recorded_sent = set(
                session.scalars(
                    select(OutboxMessage.body).where(OutboxMessage.status == OutboxStatus.SENT)
                )
            )
        assert stuck and stuck > 0  # the dead worker's claims
        # What the gateway had received whole when the worker died (a body cut off by the kill
        # is not a message: the fake counts it apart, in `cut_off`).
        received_before_kill = {request["message"] for request in gateway.requests}
        gateway.mode = "ok"
        provider = AfricasTalkingProvider("sandbox", "key", base_url=gateway.url)
        survivor = OutboxWorker(factory, provider, stale_after=timedelta(0))
        try:
            assert survivor.recover() == stuck
            while survivor.send_batch():
                pass
        finally:
            survivor.close()
    with factory() as session:
        statuses = Counter(session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT: MESSAGES}  # nothing lost
    sends = Counter(request["message"] for request in gateway.requests)
    assert set(sends) == {f"m{n}" for n in range(MESSAGES)}
    twice = {body for body, count in sends.items() if count > 1}
    # Only what the dead worker had handed to the gateway but not yet recorded as sent may go
    # out again; nothing it had recorded is sent twice, and nothing goes out three times.
    assert twice <= received_before_kill - recorded_sent
    assert max(sends.values()) <= 2
    engine.dispose()
