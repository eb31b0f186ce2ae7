"""Programs, their versioned rule sets, budgets, planned payments and enrollments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow
from registry.i18n import N_


class ProgramKind(StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"
    SERVICE = "service"


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class RuleSetStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"


class EnrollmentStatus(StrEnum):
    POTENTIAL = "potential"
    ENROLLED = "enrolled"
    SUSPENDED = "suspended"
    EXITED = "exited"


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"


KIND_LABELS = {
    ProgramKind.CASH: N_("Cash transfer"),
    ProgramKind.IN_KIND: N_("In-kind distribution"),
    ProgramKind.SERVICE: N_("Welfare service"),
}
PROGRAM_STATUS_LABELS = {
    ProgramStatus.DRAFT: N_("Draft"),
    ProgramStatus.ACTIVE: N_("Active"),
    ProgramStatus.PAUSED: N_("Paused"),
    ProgramStatus.CLOSED: N_("Closed"),
}
RULESET_STATUS_LABELS = {
    RuleSetStatus.DRAFT: N_("Draft"),
    RuleSetStatus.ACTIVE: N_("Active"),
    RuleSetStatus.SUPERSEDED: N_("Superseded"),
}
DECISION_LABELS = {
    Decision.ELIGIBLE: N_("Eligible"),
    Decision.NOT_ELIGIBLE: N_("Not eligible"),
    Decision.NEEDS_REVIEW: N_("Needs review"),
}
ENROLLMENT_STATUS_LABELS = {
    EnrollmentStatus.POTENTIAL: N_("Not enrolled"),
    EnrollmentStatus.ENROLLED: N_("Enrolled"),
    EnrollmentStatus.SUSPENDED: N_("Suspended"),
    EnrollmentStatus.EXITED: N_("Exited"),
}


class ProgramArea(Base):
    __tablename__ = "program_areas"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ProgramStatus.DRAFT)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3), default="KES")
    payments_per_year: Mapped[int] = mapped_column(default=12)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    areas: Mapped[list[Area]] = relationship(secondary="program_areas", order_by=Area.path)
    budgets: Mapped[list[ProgramBudget]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="ProgramBudget.id"
    )
    rule_sets: Mapped[list[RuleSet]] = relationship(
        back_populates="program", order_by="RuleSet.version"
    )

    @property
    def active_rule_set(self) -> RuleSet | None:
        return next((r for r in self.rule_sets if r.status == RuleSetStatus.ACTIVE), None)

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


class ProgramBudget(Base):
    """Money (or its value for in-kind and services) for one area and funding source, a year."""

    __tablename__ = "program_budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    funding_source: Mapped[str] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    year: Mapped[int]

    program: Mapped[Program] = relationship(back_populates="budgets")
    area: Mapped[Area] = relationship(lazy="joined")


class RuleSet(Base):
    """One version of a program's rules. Drafts may be edited; once active, never changed."""

    __tablename__ = "rule_sets"
    __table_args__ = (UniqueConstraint("program_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=RuleSetStatus.DRAFT)
    source: Mapped[str] = mapped_column(Text)  # the rules as the author wrote them (YAML/JSON)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    activated_at: Mapped[datetime | None]
    activated_by: Mapped[str | None] = mapped_column(String(120))

    program: Mapped[Program] = relationship(back_populates="rule_sets")


class PlannedPayment(Base):
    """A payment or distribution round of a program; `area_id` None means everywhere."""

    __tablename__ = "planned_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    due_date: Mapped[date]
    label: Mapped[str] = mapped_column(String(120), default="")
    cancelled: Mapped[bool] = mapped_column(default=False)


class Enrollment(Base):
    """A household's current place in a program, with the decision that put it there."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("household_id", "program_id"),
        Index("ix_enrollments_program_status", "program_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.POTENTIAL)
    decision: Mapped[str] = mapped_column(String(16))
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("rule_sets.id"))
    reason: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[msgid, params], ...]
    score: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    items: Mapped[list[Any] | None] = mapped_column(JSON)  # [[names, quantity, unit], ...]
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(120))
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_by: Mapped[str] = mapped_column(String(120))
    status_note: Mapped[str | None] = mapped_column(Text)

    program: Mapped[Program] = relationship(lazy="joined")
    rule_set: Mapped[RuleSet | None] = relationship()
    events: Mapped[list[EnrollmentEvent]] = relationship(
        back_populates="enrollment", order_by="EnrollmentEvent.id", cascade="all, delete-orphan"
    )


class EnrollmentEvent(Base):
    """Every decision and status change, kept with the rule version it was made under."""

    __tablename__ = "enrollment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # decision, override, status
    decision: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("rule_sets.id"))
    reason: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)

    enrollment: Mapped[Enrollment] = relationship(back_populates="events")
    rule_set: Mapped[RuleSet | None] = relationship()
