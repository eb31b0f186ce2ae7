from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class CallbackStatus(StrEnum):
    QUEUED = "queued"
    PLACING = "placing"
    PLACED = "placed"
    FAILED = "failed"
    SKIPPED = "skipped"  # the same phone already had a call back on its way


class CallbackRequest(Base):
    """A call to place back to a phone that rang the missed-call number.

    Written in the transaction that received the missed call; a worker places it after commit.
    `missed_call_key` (gateway and its call id) is unique: a replayed notification queues
    nothing more.
    """

    __tablename__ = "callback_requests"
    __table_args__ = (Index("ix_callback_due", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(20))
    missed_call_key: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CallbackStatus.QUEUED)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    placed_at: Mapped[datetime | None]
    provider_call_id: Mapped[str | None] = mapped_column(String(80))
    error: Mapped[str | None] = mapped_column(Text)
