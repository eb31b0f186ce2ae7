"""Case management: case types (data), cases, their plan, visits, referrals, documents and
timeline; service places with their registers of attendance."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow
from registry.households.models import Person
from registry.users.models import User


class CaseType(Base):
    """One version of a case type as loaded from its file; cases keep the version they opened on."""

    __tablename__ = "case_types"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_case_types_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(default=1)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    confidentiality: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    checksum: Mapped[str] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(default=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    loaded_by: Mapped[str | None] = mapped_column(String(120))

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_next_due", "status", "next_due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(10), unique=True)
    case_type_id: Mapped[int] = mapped_column(ForeignKey("case_types.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # field, grievance, referral
    referred_by: Mapped[str | None] = mapped_column(String(120))
    grievance_id: Mapped[int | None] = mapped_column(ForeignKey("grievances.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    stage: Mapped[str] = mapped_column(String(40))
    risk: Mapped[str | None] = mapped_column(String(20))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    assessed_at: Mapped[datetime | None]
    plan_status: Mapped[str] = mapped_column(String(12), default="none")
    plan_submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_approved_at: Mapped[datetime | None]
    next_visit_on: Mapped[date | None]
    next_due_on: Mapped[date | None]  # the earliest of the next visit, actions and referrals
    # The due date the worker was reminded of, and the one escalated to supervisors: each
    # overdue date is reminded once and escalated once, whatever how often the sweep runs.
    reminded_for: Mapped[date | None]
    escalated_for: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(40))
    erased_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    case_type: Mapped[CaseType] = relationship(lazy="joined")
    area: Mapped[Area] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(lazy="joined")
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id], lazy="joined")
    plan_items: Mapped[list[CasePlanItem]] = relationship(
        back_populates="case", order_by="CasePlanItem.id", cascade="all, delete-orphan"
    )
    referrals: Mapped[list[CaseReferral]] = relationship(
        back_populates="case", order_by="CaseReferral.id", cascade="all, delete-orphan"
    )
    visits: Mapped[list[CaseVisit]] = relationship(
        back_populates="case", order_by="CaseVisit.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", order_by="CaseDocument.id", cascade="all, delete-orphan"
    )


class CasePlanItem(Base):
    """A goal of the case plan, or an action towards it with a due date."""

    __tablename__ = "case_plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # goal, action
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="plan_items")


class CaseReferral(Base):
    __tablename__ = "case_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default="sent")
    note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="referrals")


class CaseVisit(Base):
    """A visit as recorded on the phone; its submission key makes a resent one count once."""

    __tablename__ = "case_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    visited_on: Mapped[date]
    met_person: Mapped[bool] = mapped_column(default=True)
    risk: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="visits")


class CaseEvent(Base):
    """One line of the case's timeline (also the notes)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")


class CaseDocument(Base):
    """A photo of a paper form, checked as an image and size-capped before it is kept."""

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="documents")


class CaseSubmission(Base):
    """Keys of submissions made on a phone (assessment, visit), so a resent one counts once."""

    __tablename__ = "case_submissions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("service_places.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ServicePlace(Base):
    """An early-education centre or a disability workshop: places, enrolled people, a register."""

    __tablename__ = "service_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))  # early_education, disability_workshop
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"))
    capacity: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship(lazy="joined")
    participants: Mapped[list[PlaceParticipant]] = relationship(
        back_populates="place", order_by="PlaceParticipant.id", cascade="all, delete-orphan"
    )


class PlaceParticipant(Base):
    __tablename__ = "place_participants"
    __table_args__ = (
        UniqueConstraint("place_id", "person_id", name="uq_place_participants_place_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("service_places.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    enrolled_on: Mapped[date]
    left_on: Mapped[date | None]

    place: Mapped[ServicePlace] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship(lazy="joined")


class AttendanceMark(Base):
    """Present or absent, one row per participant and day: a resent register overwrites it."""

    __tablename__ = "attendance_marks"
    __table_args__ = (
        UniqueConstraint("place_id", "person_id", "day", name="uq_attendance_marks_place_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(
        ForeignKey("service_places.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    day: Mapped[date]
    present: Mapped[bool]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
