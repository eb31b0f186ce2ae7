"""The outbox worker: sends, retries with backoff, gives up with a reason, honours STOP."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.db import utcnow
from registry.messaging.optout import opt_out
from registry.messaging.retry import MAX_ATTEMPTS
from registry.origin import Origin
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.outbox.service import queue_text
from sms.providers.base import PermanentFailure, SendResult, TemporaryFailure
from sms.providers.memory import MemoryProvider
from sms.ratelimit import RateLimiter
from sms.worker import OutboxWorker, drain

PHONE = "+254712345678"


class ScriptedProvider:
    """Answers each send with the next outcome of a script."""

    name = "scripted"
    rate_per_second = 0.0

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[str] = []
        self._ids = itertools.count(1)

    def send(self, to: str, body: str) -> SendResult:
        self.calls.append(to)
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return SendResult(f"scripted-{next(self._ids)}")


def _queue(db_session: Session, phone: str = PHONE, body: str = "hello") -> OutboxMessage:
    message = queue_text(db_session, to_phone=phone, language="en", body=body, template="t")
    db_session.commit()
    return message


def test_drain_sends_queued_messages(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    first, second = _queue(db_session, body="one"), _queue(db_session, body="two")
    assert drain(session_factory, MemoryProvider()) == 2
    db_session.expire_all()
    for message in (first, second):
        db_session.refresh(message)
        assert message.status == OutboxStatus.SENT and message.provider == "memory"
        assert message.provider_message_id and message.attempts == 1
    assert sorted(MemoryProvider.sent_to(PHONE)) == ["one", "two"]


def test_temporary_failure_is_retried_later_with_backoff(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    message = _queue(db_session)
    provider = ScriptedProvider(TemporaryFailure("gateway busy"))
    before = utcnow()
    assert drain(session_factory, provider) == 1  # not due again yet: one call only
    db_session.refresh(message)
    assert message.status == OutboxStatus.QUEUED and message.error == "gateway busy"
    assert message.next_attempt_at >= before + timedelta(seconds=30)
    message.next_attempt_at = utcnow()
    db_session.commit()
    drain(session_factory, provider)
    db_session.refresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 2


def test_permanent_failure_is_final_with_the_reason(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    message = _queue(db_session)
    drain(session_factory, ScriptedProvider(PermanentFailure("twilio 400 21211: invalid To")))
    db_session.refresh(message)
    assert message.status == OutboxStatus.FAILED and "21211" in (message.error or "")


def test_gives_up_after_the_last_attempt(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    message = _queue(db_session)
    message.attempts = MAX_ATTEMPTS - 1
    db_session.commit()
    drain(session_factory, ScriptedProvider(TemporaryFailure("down")))
    db_session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert message.error == f"gave up after {MAX_ATTEMPTS} attempts: down"


def test_an_adapter_crash_does_not_stop_the_queue(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    broken, fine = _queue(db_session), _queue(db_session, phone="+254722000111")
    drain(session_factory, ScriptedProvider(RuntimeError("bug")))
    db_session.refresh(broken)
    db_session.refresh(fine)
    statuses = {broken.status, fine.status}
    assert statuses == {OutboxStatus.QUEUED, OutboxStatus.SENT}


def test_a_number_that_opted_out_after_queueing_gets_nothing(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    message = _queue(db_session)
    opt_out(db_session, PHONE, origin=Origin.system())
    db_session.commit()
    provider = ScriptedProvider()
    drain(session_factory, provider)
    db_session.refresh(message)
    assert provider.calls == []
    assert message.status == OutboxStatus.SKIPPED and message.error == "opted_out"


def test_stale_claims_of_a_dead_worker_are_recovered(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    message = _queue(db_session)
    message.status = OutboxStatus.SENDING
    message.claimed_by = "dead-worker"
    message.claimed_at = utcnow() - timedelta(minutes=10)
    fresh = _queue(db_session, body="claimed just now by a live worker")
    fresh.status, fresh.claimed_by, fresh.claimed_at = OutboxStatus.SENDING, "alive", utcnow()
    db_session.commit()
    worker = OutboxWorker(session_factory, MemoryProvider())
    try:
        assert worker.recover() == 1
        worker.send_batch()
    finally:
        worker.close()
    db_session.refresh(message)
    db_session.refresh(fresh)
    assert message.status == OutboxStatus.SENT and message.attempts == 1
    assert fresh.status == OutboxStatus.SENDING


def test_rate_limiter_spaces_sends() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    for _ in range(15):
        limiter.acquire()
    # The bucket starts full (5), then lets one through every 0.2 s.
    assert now[0] == pytest.approx(2.0, abs=0.01)


def test_worker_honours_the_provider_rate(
    session_factory: sessionmaker[Session], db_session: Session
) -> None:
    import time

    for n in range(80):
        _queue(db_session, body=f"m{n}")
    provider = MemoryProvider()
    provider.rate_per_second = 50.0  # an instance attribute: the class stays unlimited
    worker = OutboxWorker(session_factory, provider, batch_size=100)
    started = time.monotonic()
    try:
        worker.send_batch()
    finally:
        worker.close()
    # A full bucket lets the first 50 through at once; 30 more take 0.6 s at 50 per second.
    assert time.monotonic() - started >= 0.55
    assert len(MemoryProvider.sent) == 80
    assert db_session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.SENT] * 80
