from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow
from registry.grievances.states import Priority, Status
from registry.outbox.models import OutboxMessage
from registry.users.models import User


class GrievanceCategory(Base):
    """A category (or, with a parent, a subcategory) of grievance, kept as data."""

    __tablename__ = "grievance_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("grievance_categories.id"))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    default_priority: Mapped[str] = mapped_column(String(12), default=Priority.NORMAL)
    sensitive: Mapped[bool] = mapped_column(default=False)
    sla_hours: Mapped[int] = mapped_column(default=168)
    team: Mapped[str] = mapped_column(String(80), default="")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[GrievanceCategory | None] = relationship(remote_side=[id], lazy="joined")

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


class Grievance(Base):
    __tablename__ = "grievances"
    __table_args__ = (Index("ix_grievances_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    category_id: Mapped[int] = mapped_column(ForeignKey("grievance_categories.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    # The area whose officers answer for it now; moves up the hierarchy on escalation.
    handling_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    complainant_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    consent_to_contact: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(5), default="en")
    priority: Mapped[str] = mapped_column(String(12), default=Priority.NORMAL)
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    escalation_level: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    hold_started_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(16))
    survey_sent_at: Mapped[datetime | None]
    survey_answer: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[GrievanceCategory] = relationship(lazy="joined")
    area: Mapped[Area] = relationship(foreign_keys=[area_id], lazy="joined")
    handling_area: Mapped[Area] = relationship(foreign_keys=[handling_area_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(lazy="joined")
    events: Mapped[list[GrievanceEvent]] = relationship(
        back_populates="grievance", order_by="GrievanceEvent.id", cascade="all, delete-orphan"
    )


class GrievanceEvent(Base):
    """One line of a grievance's timeline; `public` lines are what the complainant is told."""

    __tablename__ = "grievance_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str | None] = mapped_column(String(120))
    public: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str | None] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    grievance: Mapped[Grievance] = relationship(back_populates="events")
    message: Mapped[OutboxMessage | None] = relationship(lazy="joined")


class GrievanceRecording(Base):
    """A caller's spoken message, attached to the grievance it became (voice door).

    One per gateway recording id, so a replayed recording callback cannot attach it twice. The
    audio lives in the database like every other piece of personal data: backed up, scoped
    with its grievance, removed by the retention schedule.
    """

    __tablename__ = "grievance_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(20))
    provider_recording_id: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40), default="audio/wav")
    size_bytes: Mapped[int] = mapped_column(default=0)
    duration_seconds: Mapped[int | None]
    audio: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    missing_reason: Mapped[str | None] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("provider", "provider_recording_id", name="uq_grievance_recording"),
    )

    @property
    def audio_available(self) -> bool:
        return self.size_bytes > 0 and self.removed_at is None
