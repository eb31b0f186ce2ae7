from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow


class PrivacyErasure(Base):
    """A household whose personal data the retention schedule removed (kept for the counts)."""

    __tablename__ = "privacy_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), unique=True
    )
    rule: Mapped[str] = mapped_column(String(32))
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
