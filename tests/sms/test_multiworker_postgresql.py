"""Several workers at once on PostgreSQL: each message claimed and sent by exactly one of them."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from registry.db import make_sessionmaker
from registry.outbox.models import OutboxMessage, OutboxStatus
from sms.providers.base import SendResult
from sms.worker import OutboxWorker

TEMPLATE = "test.multiworker"
MESSAGES = 400


class CountingProvider:
    name = "counting"
    rate_per_second = 0.0

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, to: str, body: str) -> SendResult:
        time.sleep(0.001)  # a little network time, so the workers overlap
        with self.lock:
            self.sent.append(body)
            return SendResult(f"c-{len(self.sent)}-{body}")


@pytest.fixture()
def committed(engine: Engine) -> Iterator[sessionmaker[Session]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED claiming is a PostgreSQL feature (SQLite runs one worker)")
    factory = make_sessionmaker(engine)
    with factory() as session:
        session.add_all(
            OutboxMessage(to_phone="+254712345678", body=f"m{n}", language="en", template=TEMPLATE)
            for n in range(MESSAGES)
        )
        session.commit()
    yield factory
    with factory() as session:
        session.execute(delete(OutboxMessage).where(OutboxMessage.template == TEMPLATE))
        session.commit()


def test_four_workers_send_each_message_once(committed: sessionmaker[Session]) -> None:
    provider = CountingProvider()
    handled: Counter[str] = Counter()

    def run(name: str) -> None:
        worker = OutboxWorker(committed, provider, batch_size=25, concurrency=4, name=name)
        try:
            while count := worker.send_batch():
                handled[name] += count
        finally:
            worker.close()

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(provider.sent) == sorted(f"m{n}" for n in range(MESSAGES))  # once each
    assert sum(handled.values()) == MESSAGES
    assert sum(1 for count in handled.values() if count) >= 2  # the work was shared
    with committed() as session:
        rows = session.execute(
            select(OutboxMessage.status, OutboxMessage.attempts).where(
                OutboxMessage.template == TEMPLATE
            )
        ).all()
    assert {tuple(row) for row in rows} == {(OutboxStatus.SENT, 1)}
