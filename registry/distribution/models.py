"""Distribution points, their stock movements, and hand-overs of goods."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow


class DistributionPoint(Base):
    """A place where goods are handed out; it serves the households of its area."""

    __tablename__ = "distribution_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship(lazy="joined")


class StockMovement(Base):
    """Goods received at a point for a cycle (`received`), or a physical count (`counted`)."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("distribution_points.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("payment_cycles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class HandOver(Base):
    """One recorded hand-over, keyed by the id the device gave it (a re-sync is a no-op).

    Two devices that both handed out the same entitlement offline produce two rows: both facts
    are kept, and the double collection report lists them.
    """

    __tablename__ = "hand_overs"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlements.id"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("distribution_points.id"), index=True)
    device: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(8))  # holder | proxy
    proxy_name: Mapped[str | None] = mapped_column(String(120))
    items: Mapped[list[Any] | None] = mapped_column(JSON)
    handed_at: Mapped[datetime]
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(120))
