"""The outbox worker: claims due messages, sends them, records the outcome."""

from __future__ import annotations

import logging
import os
import socket
import time

from sqlalchemy.orm import Session, sessionmaker

from registry.outbox.service import claim_due, mark_sent
from sms.providers.base import SmsProvider

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def send_batch(make_session: sessionmaker[Session], provider: SmsProvider, limit: int = 50) -> int:
    """Sends one batch; returns how many messages were handled."""
    name = worker_name()
    with make_session() as session:
        claimed = claim_due(session, name, limit)
        session.commit()
        for message in claimed:
            result = provider.send(message.to_phone, message.body)
            mark_sent(session, message, provider.name, result.provider_message_id)
            session.commit()
        return len(claimed)


def run_forever(
    make_session: sessionmaker[Session], provider: SmsProvider, idle_seconds: float = 1.0
) -> None:
    while True:
        if send_batch(make_session, provider) == 0:
            time.sleep(idle_seconds)
