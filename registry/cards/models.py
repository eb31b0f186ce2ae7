"""Cards held by a household or a person, and each time one was checked."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, utcnow
from registry.households.models import Household, Person


class CardStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


class RevokeReason(StrEnum):
    LOST = "lost"
    DAMAGED = "damaged"
    STOLEN = "stolen"
    ERROR = "error"
    HOLDER_LEFT = "holder_left"


class Card(Base):
    """A printed card. `payload` is the signed QR text, kept so a card reprints identically
    after its signing key has been retired."""

    __tablename__ = "cards"
    __table_args__ = (
        Index("ix_cards_household_status", "household_id", "status"),
        Index("ix_cards_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    # Set when the card belongs to one member; a household card has no person.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    holder_ref: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CardStatus.ACTIVE)
    key_id: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="en")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(String(16))
    # Position in the published revocation list; its largest value is the list's version.
    revocation_seq: Mapped[int | None] = mapped_column(index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    household: Mapped[Household] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(lazy="joined")


class VerificationEvent(Base):
    """One check of a card, by a logged-in worker or through the API."""

    __tablename__ = "card_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("cards.id", ondelete="SET NULL"), index=True
    )
    card_number: Mapped[str | None] = mapped_column(String(12))
    valid: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(8))  # qr or number
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
