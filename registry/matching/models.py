"""Stored models, the review queue of likely duplicates, and merges."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class MatchModelRow(Base):
    """A model trained on the registry; the newest one scores every check."""

    __tablename__ = "match_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    params: Mapped[str] = mapped_column(Text)  # registry.matching.model.Model.to_json()
    records: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PairStatus(StrEnum):
    OPEN = "open"
    SAME = "same"  # merged
    DIFFERENT = "different"  # remembered, never asked again


class PairOrigin(StrEnum):
    FIELD = "field"  # seen by a field worker at registration
    SELF_REGISTRATION = "self_registration"  # USSD or SMS registration held for review
    OFFLINE = "offline"  # an offline replay that matched
    RUN = "run"  # registry-wide run
    IMPORT = "import"


class MatchPair(Base):
    """Two people who may be one. `person_a_id` < `person_b_id`, so a pair is stored once."""

    __tablename__ = "match_pairs"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id", name="uq_match_pairs_persons"),
        Index("ix_match_pairs_status_area", "status", "area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    household_a_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    household_b_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    # The area that decides who may review it: the newer household's community.
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    score: Mapped[float]
    levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    origin: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default=PairStatus.OPEN)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Merge(Base):
    """One household merged into another: what moved, so that it can be undone."""

    __tablename__ = "household_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("match_pairs.id"))
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    previous_status: Mapped[str] = mapped_column(String(24))
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
