"""Area scoping, written once: every service query about people goes through `in_scope`.

A user holds areas; they see those areas and all their descendants, nothing else. An object
outside the scope is reported as absent (`NotFound`), so a URL cannot tell whether it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area

T = TypeVar("T", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Scope:
    """The area paths a caller may see; `everywhere` for system work with no user behind it."""

    paths: tuple[str, ...]
    everywhere: bool = False

    @classmethod
    def of_areas(cls, areas: Iterable[Area]) -> Scope:
        return cls(paths=tuple(sorted({a.path for a in areas})))

    @classmethod
    def unrestricted(cls) -> Scope:
        return cls(paths=(), everywhere=True)

    def covers(self, area: Area) -> bool:
        return self.everywhere or any(area.path.startswith(p) for p in self.paths)


def in_scope(stmt: Select[T], scope: Scope, area_id_column: Any) -> Select[T]:
    """Restricts `stmt` to rows whose `area_id_column` lies in the scope's areas or below."""
    if scope.everywhere:
        return stmt
    if not scope.paths:
        return stmt.where(false())
    allowed = select(Area.id).where(or_(*(Area.path.startswith(p) for p in scope.paths)))
    return stmt.where(area_id_column.in_(allowed.scalar_subquery()))


def areas_in_scope(session: Session, scope: Scope, level: int | None = None) -> list[Area]:
    stmt = in_scope(select(Area), scope, Area.id).order_by(Area.path)
    if level is not None:
        stmt = stmt.where(Area.level == level)
    return list(session.scalars(stmt))
