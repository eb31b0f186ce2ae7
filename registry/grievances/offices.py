"""Who answers for a grievance: the officers of the nearest staffed area, and the one above."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.users.models import User, user_areas
from registry.users.roles import Permission, can


def may_handle(user: User, *, sensitive: bool) -> bool:
    roles = user.roles
    if not user.active or not can(roles, Permission.GRIEVANCE_HANDLE):
        return False
    return not sensitive or can(roles, Permission.GRIEVANCE_SENSITIVE)


def officers_of(
    session: Session,
    area: Area,
    *,
    sensitive: bool = False,
    qualifies: Callable[[User], bool] | None = None,
) -> list[User]:
    """Officers assigned to exactly this area (not above it, not below).

    `qualifies` replaces the grievance test for other desks that answer up the same
    hierarchy (case supervisors for overdue case work)."""
    users = session.scalars(
        select(User)
        .join(user_areas, user_areas.c.user_id == User.id)
        .where(user_areas.c.area_id == area.id, User.active.is_(True))
        .order_by(User.username)
    )
    if qualifies is not None:
        return [u for u in users if qualifies(u)]
    return [u for u in users if may_handle(u, sensitive=sensitive)]


def staffed_area(
    session: Session,
    start: Area | None,
    *,
    sensitive: bool = False,
    cache: dict[tuple[int, bool], list[User]] | None = None,
    qualifies: Callable[[User], bool] | None = None,
) -> Area | None:
    """`start` or its nearest ancestor with officers; None when nobody above is staffed.

    `cache` (area id, sensitive) -> officers spares repeated lookups within one batch run
    (one cache per `qualifies`).
    """
    cache = {} if cache is None else cache
    area = start
    while area is not None:
        key = (area.id, sensitive)
        if key not in cache:
            cache[key] = officers_of(session, area, sensitive=sensitive, qualifies=qualifies)
        if cache[key]:
            return area
        area = area.parent
    return None


def officers_covering(session: Session, area: Area, *, sensitive: bool = False) -> list[User]:
    """Every officer whose areas include `area` (theirs or an ancestor): who may be assigned."""
    ancestors: list[int] = []
    node: Area | None = area
    while node is not None:
        ancestors.append(node.id)
        node = node.parent
    users = session.scalars(
        select(User)
        .join(user_areas, user_areas.c.user_id == User.id)
        .where(user_areas.c.area_id.in_(ancestors), User.active.is_(True))
        .order_by(User.full_name)
        .distinct()
    )
    return [u for u in users if may_handle(u, sensitive=sensitive)]


def officers_for_scope(session: Session, paths: tuple[str, ...], everywhere: bool) -> list[User]:
    """Officers working in, under or above the given areas: the choices for bulk assignment."""
    users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name))
    chosen = []
    for user in users:
        if not may_handle(user, sensitive=False):
            continue
        if everywhere or any(
            a.path.startswith(p) or p.startswith(a.path) for a in user.areas for p in paths
        ):
            chosen.append(user)
    return chosen
