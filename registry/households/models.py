from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import Area
from registry.db import Base, utcnow


class HouseholdStatus(StrEnum):
    PENDING_VERIFICATION = "pending_verification"
    ACTIVE = "active"
    INACTIVE = "inactive"
    # A registration that looks like a household already registered: in the review queue,
    # in no program, until a reviewer decides.
    HELD = "held_for_review"
    # Merged into another household (merged_into_id); kept so that the merge can be undone.
    MERGED = "merged"


class Relation(StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    NON_RELATIVE = "non_relative"


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (Index("ix_households_area_status", "area_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    address: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default=HouseholdStatus.PENDING_VERIFICATION)
    source_channel: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: an edit made on an older version is refused, never silently lost.
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(lazy="joined")
    members: Mapped[list[Person]] = relationship(
        back_populates="household", order_by="Person.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def head(self) -> Person | None:
        return next((m for m in self.members if m.relation == Relation.HEAD), None)


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = (
        Index("ix_persons_names", "family_name", "given_name"),
        # Covering the duplicate check's lookups (household_id: "in this community").
        Index("ix_persons_family_key_year", "family_key", "birth_year", "household_id"),
        Index("ix_persons_given_key_year", "given_key", "birth_year", "household_id"),
        Index("ix_persons_name_keys_year", "given_key", "family_key", "birth_year"),
        Index("ix_persons_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    birth_year: Mapped[int]
    relation: Mapped[str] = mapped_column(String(24))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    national_id: Mapped[str | None] = mapped_column(String(40), index=True)
    disability: Mapped[bool] = mapped_column(default=False)
    # Phonetic keys of the names (registry.matching.normalize.skeleton): the duplicate check
    # finds candidates through them. Kept up to date by registry.matching.keys.
    given_key: Mapped[str | None] = mapped_column(String(8))
    family_key: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Consent(Base):
    """Consent to process personal data: notice version, when, how, who took it.

    Aid never depends on it; it is recorded so that it can be shown and honoured.
    """

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    given: Mapped[bool]
    notice_version: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))  # spoken, signed, thumbprint, ussd, sms
    channel: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
