from __future__ import annotations

from enum import IntEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base


class AreaLevel(IntEnum):
    COUNTRY = 0
    REGION = 1
    DISTRICT = 2
    COMMUNITY = 3


class Area(Base):
    """A node of the administrative hierarchy (country > region > district > community).

    `path` is the chain of codes from the root, each followed by '/', so every descendant of
    an area is found with one prefix match: the basis of area scoping.
    """

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    level: Mapped[int]
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), unique=True)

    parent: Mapped[Area | None] = relationship(remote_side=[id], lazy="joined")

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.name
