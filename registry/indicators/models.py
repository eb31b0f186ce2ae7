"""Indicator snapshots: the figures the dashboards read, refreshed by a job, never per view."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class IndicatorSnapshot(Base):
    """One figure: an indicator for an area, a program ("" for all) and a month.

    `dimension` is "" for the total, or one value of the indicator's breakdown ("F", "sms").
    Counts and sums add up from communities to the country; percentages keep their numerator
    and denominator so that they add up too; medians keep the number of cases as denominator.
    """

    __tablename__ = "indicator_snapshots"
    __table_args__ = (
        UniqueConstraint("period", "program", "indicator", "area_id", "dimension"),
        Index("ix_indicator_snapshots_lookup", "period", "program", "area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    program: Mapped[str] = mapped_column(String(32), default="")
    period: Mapped[str] = mapped_column(String(7))
    dimension: Mapped[str] = mapped_column(String(80), default="")
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    numerator: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    denominator: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SnapshotRun(Base):
    """When a period (and program set) was last refreshed, and how long it took."""

    __tablename__ = "indicator_refreshes"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
    seconds: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    rows: Mapped[int]
