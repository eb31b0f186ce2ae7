"""The area picker: region > district > community, limited to the areas the caller may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from registry.areas.models import Area, AreaLevel
from registry.scope import in_scope

if TYPE_CHECKING:
    from forms.engine import FormContext


def community_in_scope(ctx: FormContext, code: str) -> Area | None:
    stmt = in_scope(select(Area), ctx.scope, Area.id).where(
        Area.code == code, Area.level == AreaLevel.COMMUNITY
    )
    return ctx.session.scalar(stmt)


def area_label(ctx: FormContext, code: str) -> str:
    area = ctx.session.scalar(select(Area).where(Area.code == code))
    if area is None:
        return code
    names = [area.name_in(ctx.language)]
    parent = area.parent
    while parent is not None and parent.level >= AreaLevel.REGION:
        names.append(parent.name_in(ctx.language))
        parent = parent.parent
    return ", ".join(names)


def children(ctx: FormContext, parent_code: str | None, level: int) -> list[tuple[str, str]]:
    """(code, localized name) of the areas at `level` under `parent_code`, within the scope.

    A district is listed when any community under it is in the scope, so a worker scoped to
    one district still walks region > district > community.
    """
    stmt = select(Area).where(Area.level == level).order_by(Area.name)
    if parent_code is not None:
        parent = ctx.session.scalar(select(Area).where(Area.code == parent_code))
        if parent is None:
            return []
        stmt = stmt.where(Area.parent_id == parent.id)
    areas = list(ctx.session.scalars(stmt))
    if not ctx.scope.everywhere:
        visible = _visible_paths(ctx)
        areas = [
            a for a in areas if any(p.startswith(a.path) or a.path.startswith(p) for p in visible)
        ]
    return [(a.code, a.name_in(ctx.language)) for a in areas]


def _visible_paths(ctx: FormContext) -> tuple[str, ...]:
    return ctx.scope.paths


def communities_by_district(ctx: FormContext) -> list[tuple[str, list[tuple[str, str]]]]:
    """For the web picker: (\"Region / District\", [(code, community name)]) in name order."""
    stmt = (
        in_scope(select(Area), ctx.scope, Area.id)
        .where(Area.level == AreaLevel.COMMUNITY)
        .order_by(Area.path)
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for area in ctx.session.scalars(stmt):
        district = area.parent
        region = district.parent if district is not None else None
        title = " / ".join(a.name_in(ctx.language) for a in (region, district) if a is not None)
        groups.setdefault(title, []).append((area.code, area.name_in(ctx.language)))
    return [(title, sorted(items, key=lambda i: i[1])) for title, items in groups.items()]
