"""The outbox worker: claims due messages, sends them, records each outcome as it arrives.

Sends run on a small thread pool (they wait on the network); outcomes are written and committed
by the worker's own thread as soon as the gateway answers, so a worker killed mid-batch loses
only the answers of the requests that were in flight at that moment (see docs/sms.md).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from registry.messaging.models import SmsContact
from registry.messaging.retry import next_attempt_at
from registry.outbox.models import OutboxMessage
from registry.outbox.service import (
    OPT_OUT_CONFIRMATION,
    OPTED_OUT,
    claim_due,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_skipped,
    recover_stale,
)
from sms.providers.base import PermanentFailure, SendResult, SmsProvider, TemporaryFailure
from sms.ratelimit import RateLimiter

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died (a batch takes seconds, not minutes).
STALE_AFTER = timedelta(minutes=5)
RECOVER_EVERY_SECONDS = 30.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class OutboxWorker:
    def __init__(
        self,
        make_session: sessionmaker[Session],
        provider: SmsProvider,
        *,
        batch_size: int = 200,
        concurrency: int = 8,
        name: str | None = None,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.make_session = make_session
        self.provider = provider
        self.batch_size = batch_size
        self.name = name or worker_name()
        self.stale_after = stale_after
        self.limiter = RateLimiter(getattr(provider, "rate_per_second", 0.0))
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="sms-send")
        self._last_recovery = 0.0

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def recover(self) -> int:
        with self.make_session() as session:
            count = recover_stale(session, self.stale_after)
            session.commit()
        if count:
            log.warning("recovered %d stale sending message(s)", count)
        self._last_recovery = time.monotonic()
        return count

    def send_batch(self) -> int:
        """Sends one batch; returns how many messages were claimed."""
        if time.monotonic() - self._last_recovery > RECOVER_EVERY_SECONDS:
            self.recover()
        with self.make_session() as session:
            claimed = claim_due(session, self.name, self.batch_size)
            session.commit()
            if not claimed:
                return 0
            to_send = self._drop_opted_out(session, claimed)
            session.commit()
            futures: dict[Future[SendResult], OutboxMessage] = {
                self.pool.submit(self._send, m.to_phone, m.body): m for m in to_send
            }
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    self._record(session, futures[future], future)
                session.commit()
            return len(claimed)

    def _drop_opted_out(
        self, session: Session, claimed: list[OutboxMessage]
    ) -> list[OutboxMessage]:
        """A number may have sent STOP after its message was queued: it is not sent then."""
        phones = {m.to_phone for m in claimed}
        opted_out = set(
            session.scalars(
                select(SmsContact.phone).where(
                    SmsContact.phone.in_(phones), SmsContact.opted_out.is_(True)
                )
            )
        )
        keep = []
        for message in claimed:
            if message.to_phone in opted_out and message.template != OPT_OUT_CONFIRMATION:
                mark_skipped(session, message, OPTED_OUT)
            else:
                keep.append(message)
        return keep

    def _send(self, to: str, body: str) -> SendResult:
        self.limiter.acquire()
        return self.provider.send(to, body)

    def _record(self, session: Session, message: OutboxMessage, future: Future[SendResult]) -> None:
        try:
            result = future.result()
        except PermanentFailure as exc:
            mark_failed(session, message, exc.reason)
        except TemporaryFailure as exc:
            self._retry_or_fail(session, message, exc.reason)
        except Exception as exc:  # a bug in an adapter must not stop the queue
            log.exception("provider %s crashed on message %s", self.provider.name, message.id)
            self._retry_or_fail(session, message, f"error: {type(exc).__name__}")
        else:
            mark_sent(session, message, self.provider.name, result.provider_message_id)

    def _retry_or_fail(self, session: Session, message: OutboxMessage, reason: str) -> None:
        when = next_attempt_at(message.attempts)
        if when is None:
            mark_failed(session, message, f"gave up after {message.attempts} attempts: {reason}")
        else:
            mark_retry(session, message, reason, when)

    def run_forever(self, idle_seconds: float = 1.0) -> None:
        while True:
            try:
                handled = self.send_batch()
            except OperationalError as exc:  # the database restarting: wait, then go on
                log.error("outbox worker: database unavailable (%s)", type(exc.orig).__name__)
                handled = 0
                time.sleep(5 * idle_seconds)
            if handled == 0:
                time.sleep(idle_seconds)


def send_batch(make_session: sessionmaker[Session], provider: SmsProvider, limit: int = 200) -> int:
    """Sends one batch with a short-lived worker (the CLI's --once, tests)."""
    worker = OutboxWorker(make_session, provider, batch_size=limit)
    try:
        return worker.send_batch()
    finally:
        worker.close()


def drain(make_session: sessionmaker[Session], provider: SmsProvider, limit: int = 200) -> int:
    """Sends everything that is due now; returns how many messages were handled."""
    worker = OutboxWorker(make_session, provider, batch_size=limit)
    total = 0
    try:
        while count := worker.send_batch():
            total += count
    finally:
        worker.close()
    return total
