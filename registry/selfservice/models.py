"""What self-service keeps: the language each phone chose, and how each USSD session ended."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class SessionOutcome(StrEnum):
    OPEN = "open"  # no end seen yet
    COMPLETED = "completed"  # the service answered END
    DROPPED = "dropped"  # the gateway ended it while the service still expected input
    FAILED = "failed"  # the gateway reported an error


class PhoneLanguage(Base):
    """The language a caller chose on the first USSD dial, offered again on every later one."""

    __tablename__ = "phone_languages"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(5))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UssdSession(Base):
    """One USSD session, for the drop-off funnel: where people stop, per flow and language.

    The phone is not kept here: the funnel needs counts, not people.
    """

    __tablename__ = "ussd_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[str] = mapped_column(String(100))
    service_code: Mapped[str | None] = mapped_column(String(40))
    network_code: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(5))
    flow: Mapped[str | None] = mapped_column(String(32))
    last_screen: Mapped[str | None] = mapped_column(String(64))
    steps: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(String(16), default=SessionOutcome.OPEN)
    gateway_status: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_ussd_sessions_gateway_session", "gateway", "session_id", unique=True),
        Index("ix_ussd_sessions_started_outcome", "started_at", "outcome"),
    )
