"""Payment cycles, entitlements (immutable snapshots), adjustments, payment events, imports."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow
from registry.i18n import N_
from registry.programs.models import Program


class CycleStatus(StrEnum):
    GENERATING = "generating"  # entitlements being written by the job
    DRAFT = "draft"  # generated, waiting for a finance officer
    APPROVED = "approved"  # committed: may be exported, paid and reconciled
    CLOSED = "closed"  # nothing changes any more


class EntitlementStatus(StrEnum):
    DUE = "due"  # not yet sent to anyone
    SUBMITTED = "submitted"  # handed to the mobile money provider, answer not yet known
    SENT = "sent"  # accepted by the provider, outcome pending
    PAID = "paid"
    PARTLY_PAID = "partly_paid"
    FAILED = "failed"
    COLLECTED = "collected"  # in-kind: handed over at a distribution point


CYCLE_STATUS_LABELS = {
    CycleStatus.GENERATING: N_("Generating"),
    CycleStatus.DRAFT: N_("Waiting for approval"),
    CycleStatus.APPROVED: N_("Approved"),
    CycleStatus.CLOSED: N_("Closed"),
}
ENTITLEMENT_STATUS_LABELS = {
    EntitlementStatus.DUE: N_("Due"),
    EntitlementStatus.SUBMITTED: N_("Submitted"),
    EntitlementStatus.SENT: N_("Sent"),
    EntitlementStatus.PAID: N_("Paid"),
    EntitlementStatus.PARTLY_PAID: N_("Partly paid"),
    EntitlementStatus.FAILED: N_("Failed"),
    EntitlementStatus.COLLECTED: N_("Collected"),
}


class PaymentCycle(Base):
    """One payment or distribution round of a program for a period (and maybe one area)."""

    __tablename__ = "payment_cycles"
    __table_args__ = (UniqueConstraint("program_id", "period", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    scope_key: Mapped[str] = mapped_column(String(32))  # the area code, or "*" for everywhere
    funding_source: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default=CycleStatus.GENERATING)
    households: Mapped[int] = mapped_column(default=0)
    total_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    prepared_by_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_name: Mapped[str | None] = mapped_column(String(120))
    approved_at: Mapped[datetime | None]
    override_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]

    program: Mapped[Program] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")


class Entitlement(Base):
    """What one household is owed in one cycle: a snapshot never rewritten by later changes.

    Only the payment outcome (status, paid amount, provider references) moves afterwards;
    a correction of what is owed is an `EntitlementAdjustment`.
    """

    __tablename__ = "entitlements"
    __table_args__ = (
        UniqueConstraint("cycle_id", "household_id"),
        Index("ix_entitlements_cycle_status", "cycle_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("payment_cycles.id"))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    household_number: Mapped[str] = mapped_column(String(12))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    items: Mapped[list[Any] | None] = mapped_column(JSON)  # [[names, quantity, unit], ...]
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("rule_sets.id"))
    rule_version: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(16), default="rules")  # rules | list
    payee_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    payee_name: Mapped[str] = mapped_column(String(250))
    payee_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=EntitlementStatus.DUE)
    paid_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    paid_at: Mapped[datetime | None]
    provider_reference: Mapped[str | None] = mapped_column(String(80))
    transaction_id: Mapped[str | None] = mapped_column(String(80), index=True)
    batch_key: Mapped[str | None] = mapped_column(String(64))
    failure: Mapped[str | None] = mapped_column(String(250))
    notified_at: Mapped[datetime | None]

    cycle: Mapped[PaymentCycle] = relationship()
    area: Mapped[Area] = relationship()


class EntitlementAdjustment(Base):
    """An audited correction of what is owed (positive or negative), never an overwrite."""

    __tablename__ = "entitlement_adjustments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlements.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class PaymentEvent(Base):
    """The payment history of one entitlement: submitted, accepted, callbacks, reconciliation."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlements.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))  # submitted, provider, callback, reconciled
    status: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    detail: Mapped[str | None] = mapped_column(String(250))


class ReconciliationImport(Base):
    """One provider results file applied to a cycle; the same file again changes nothing."""

    __tablename__ = "reconciliation_imports"
    __table_args__ = (UniqueConstraint("cycle_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("payment_cycles.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(250))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
