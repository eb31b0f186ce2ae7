"""Helpers that tamper with the audit table directly, as a rogue database administrator would.

On PostgreSQL the append-only triggers must be switched off first (inside the test's own
transaction, which is rolled back), which is itself what an attacker with owner rights does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.db import is_postgresql


@contextmanager
def triggers_off(session: Session) -> Iterator[None]:
    if is_postgresql(session):
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    yield
    if is_postgresql(session):
        session.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def edit(session: Session, seq: int, action: str = "household.view") -> None:
    with triggers_off(session):
        session.execute(
            text("UPDATE audit_events SET action = :a WHERE seq = :s"), {"a": action, "s": seq}
        )


def delete(session: Session, seq: int) -> None:
    with triggers_off(session):
        session.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": seq})


def truncate_tail(session: Session, from_seq: int) -> None:
    with triggers_off(session):
        session.execute(text("DELETE FROM audit_events WHERE seq >= :s"), {"s": from_seq})


def swap(session: Session, seq_a: int, seq_b: int) -> None:
    """Swaps the sequence numbers of two rows (their place in the chain), via a free value."""
    with triggers_off(session):
        params = {"a": seq_a, "b": seq_b, "tmp": -seq_a}
        session.execute(text("UPDATE audit_events SET seq = :tmp WHERE seq = :a"), params)
        session.execute(text("UPDATE audit_events SET seq = :a WHERE seq = :b"), params)
        session.execute(text("UPDATE audit_events SET seq = :b WHERE seq = :tmp"), params)
