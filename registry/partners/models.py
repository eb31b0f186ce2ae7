"""Partner clients (agreements), their tokens, transactions, subscriptions and deliveries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow

partner_client_areas = Table(
    "partner_client_areas",
    Base.metadata,
    Column("client_id", ForeignKey("partner_clients.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)


class PartnerScope(StrEnum):
    SEARCH = "search"
    SUBSCRIBE = "subscribe"
    OVERLAP = "overlap"


class PartnerClient(Base):
    """One agreement with another system: what it may ask, about whom, which fields, until when.

    The secret is stored as an argon2 hash and shown once, when the client is created.
    """

    __tablename__ = "partner_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime]
    suspended: Mapped[bool] = mapped_column(default=False)
    suspended_at: Mapped[datetime | None]
    # The partner's Ed25519 public key (raw, base64url, as a JWK "x"): its messages are checked.
    public_key: Mapped[str | None] = mapped_column(String(64))
    callback_url: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))

    areas: Mapped[list[Area]] = relationship(secondary=partner_client_areas, order_by=Area.path)


class PartnerToken(Base):
    """An issued access token, kept only as its SHA-256 (a database copy signs nothing in)."""

    __tablename__ = "partner_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("partner_clients.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_in: Mapped[int]
    revoked: Mapped[bool] = mapped_column(default=False)

    client: Mapped[PartnerClient] = relationship(lazy="joined")


class PartnerTransaction(Base):
    """One DCI message received from a partner: its status answers `txn/status`."""

    __tablename__ = "partner_transactions"
    __table_args__ = (UniqueConstraint("client_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("partner_clients.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[str] = mapped_column(String(100))
    transaction_id: Mapped[str] = mapped_column(String(100), index=True)
    correlation_id: Mapped[str] = mapped_column(String(40), unique=True)
    action: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(8))  # rcvd, pdng, succ, rjct
    reference_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # kept for async searches
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class PartnerSubscription(Base):
    """A partner's wish to be told of events (registration, enrollment, exit, payment)."""

    __tablename__ = "partner_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("partner_clients.id", ondelete="CASCADE"), index=True
    )
    reference_id: Mapped[str] = mapped_column(String(100))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    program_code: Mapped[str | None] = mapped_column(String(32))
    callback_url: Mapped[str] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client: Mapped[PartnerClient] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry
    CANCELLED = "cancelled"  # the client was suspended or expired before delivery


class PartnerDelivery(Base):
    """A message owed to a partner (a notification, an async search answer).

    Written in the transaction of the change that caused it; rendered and signed when sent, so
    it carries only what the agreement allows at that moment. `reference` makes it idempotent.
    """

    __tablename__ = "partner_deliveries"
    __table_args__ = (Index("ix_partner_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(120), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("partner_clients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # notify, on-search
    url: Mapped[str] = mapped_column(String(400))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_subscriptions.id", ondelete="SET NULL")
    )
    transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_transactions.id", ondelete="SET NULL")
    )
    event_type: Mapped[str | None] = mapped_column(String(24))
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="SET NULL")
    )
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    client: Mapped[PartnerClient] = relationship(lazy="joined")


class PartnerDeliveryAttempt(Base):
    """Every try of a delivery, kept: when, what the partner answered, or why it failed."""

    __tablename__ = "partner_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("partner_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(40))
