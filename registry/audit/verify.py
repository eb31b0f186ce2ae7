"""Walks the audit hash chain and reports the first broken link.

An edited row no longer matches its own hash; a deleted or reordered row breaks the `seq`
sequence or the `prev_hash` link; a truncated tail is only visible against a checkpoint signed
earlier, which is why `verify_chain` accepts one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.checkpoint import Checkpoint
from registry.audit.models import AuditEvent
from registry.audit.service import GENESIS_HASH, compute_hash

_BATCH = 2000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str | None = None  # a short code: edited, missing, reordered, relinked, truncated...

    def describe(self) -> str:
        if self.ok:
            return f"ok: {self.checked} events, head seq {self.head_seq} hash {self.head_hash}"
        return f"broken at seq {self.broken_seq}: {self.reason}"


def _broken(checked: int, seq: int, head: str, at: int | None, reason: str) -> VerifyResult:
    return VerifyResult(False, checked, seq, head, broken_seq=at, reason=reason)


def _sequence_fault(session: Session, expected_seq: int) -> str:
    """A row with the awaited seq further on means rows were moved; none means one was deleted."""
    later = session.scalar(select(AuditEvent.id).where(AuditEvent.seq == expected_seq))
    return "reordered" if later is not None else "missing"


_COLUMNS = (
    AuditEvent.id,
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.actor_name,
    AuditEvent.channel,
    AuditEvent.area_code,
    AuditEvent.action,
    AuditEvent.target_type,
    AuditEvent.target_id,
    AuditEvent.details,
    AuditEvent.prev_hash,
    AuditEvent.request_id,
    AuditEvent.hash,
)


def _batches(session: Session) -> Iterator[list[AuditEvent]]:
    """Rows as detached copies, read by column so that the session's own objects (possibly
    stale, possibly the caller's) are neither used nor disturbed."""
    last_id = 0
    while True:
        rows = session.execute(
            select(*_COLUMNS).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield [AuditEvent(**row._asdict()) for row in rows]


def verify_chain(session: Session, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Checks every event in id order; with a checkpoint, also that its head is still there."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    checkpoint_seen = checkpoint is None or checkpoint.seq == 0
    for batch in _batches(session):
        for event in batch:
            if event.seq != expected_seq:
                reason = _sequence_fault(session, expected_seq)
                return _broken(checked, expected_seq - 1, prev_hash, expected_seq, reason)
            if event.prev_hash != prev_hash:
                return _broken(checked, event.seq - 1, prev_hash, event.seq, "relinked")
            if compute_hash(event) != event.hash:
                return _broken(checked, event.seq - 1, prev_hash, event.seq, "edited")
            if checkpoint is not None and event.seq == checkpoint.seq:
                if event.hash != checkpoint.head_hash:
                    return _broken(checked, event.seq, prev_hash, event.seq, "checkpoint_mismatch")
                checkpoint_seen = True
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if not checkpoint_seen:
        assert checkpoint is not None
        return _broken(checked, expected_seq - 1, prev_hash, expected_seq, "truncated")
    return VerifyResult(True, checked, expected_seq - 1, prev_hash)
