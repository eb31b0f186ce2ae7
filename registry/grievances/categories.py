"""Categories as data, edited by an administrator; the demo set ships with the demo data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.errors import Conflict, InvalidInput, NotFound
from registry.grievances.models import GrievanceCategory
from registry.grievances.states import Priority
from registry.i18n import N_
from registry.origin import Origin
from registry.settings import DEFAULT_LANGUAGES

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_SLA_HOURS = 24 * 90


@dataclass
class CategoryInput:
    code: str
    names: dict[str, str]
    sla_hours: int
    default_priority: str = Priority.NORMAL
    sensitive: bool = False
    team: str = ""
    parent_code: str | None = None
    position: int = 0
    active: bool = True
    extra: dict[str, object] = field(default_factory=dict)


def all_categories(session: Session) -> list[GrievanceCategory]:
    """Every category, parents first, each followed by its subcategories."""
    rows = list(
        session.scalars(
            select(GrievanceCategory).order_by(GrievanceCategory.position, GrievanceCategory.code)
        )
    )
    ordered: list[GrievanceCategory] = []
    for parent in (c for c in rows if c.parent_id is None):
        ordered.append(parent)
        ordered.extend(c for c in rows if c.parent_id == parent.id)
    return ordered


def get_category(session: Session, code: str) -> GrievanceCategory:
    category = session.scalar(select(GrievanceCategory).where(GrievanceCategory.code == code))
    if category is None:
        raise NotFound(N_("No such category."))
    return category


def _validate(session: Session, data: CategoryInput) -> GrievanceCategory | None:
    if not CODE_RE.match(data.code):
        raise InvalidInput(
            N_("Use 2 to 40 lowercase letters, digits or _ for the code."), field="code"
        )
    if not (data.names.get("en") or "").strip():
        raise InvalidInput(N_("Give at least the English name."), field="names")
    if not 1 <= data.sla_hours <= MAX_SLA_HOURS:
        raise InvalidInput(
            N_("The time to answer must be between 1 and %(n)s hours."),
            field="sla_hours",
            n=MAX_SLA_HOURS,
        )
    if data.default_priority not in Priority.__members__.values():
        raise InvalidInput(N_("Choose a priority."), field="default_priority")
    if not data.parent_code:
        return None
    parent = session.scalar(
        select(GrievanceCategory).where(GrievanceCategory.code == data.parent_code)
    )
    if parent is None or parent.parent_id is not None or parent.code == data.code:
        raise InvalidInput(N_("Choose a top-level category as parent."), field="parent")
    return parent


def save_category(
    session: Session, data: CategoryInput, *, origin: Origin, create: bool
) -> GrievanceCategory:
    """Creates or updates a category; a subcategory of a sensitive category is sensitive."""
    parent = _validate(session, data)
    existing = session.scalar(select(GrievanceCategory).where(GrievanceCategory.code == data.code))
    if create and existing is not None:
        raise Conflict(N_("The code %(code)s is taken."), code=data.code)
    if not create and existing is None:
        raise NotFound(N_("No such category."))
    category = existing or GrievanceCategory(code=data.code)
    category.names = {
        lang: data.names[lang].strip()
        for lang in DEFAULT_LANGUAGES
        if (data.names.get(lang) or "").strip()
    }
    category.parent = parent
    category.sla_hours = data.sla_hours
    category.default_priority = data.default_priority
    category.sensitive = data.sensitive or bool(parent and parent.sensitive)
    category.team = data.team.strip()[:80]
    category.position = data.position
    category.active = data.active
    session.add(category)
    session.flush()
    if category.sensitive and category.parent_id is None:
        for child in session.scalars(
            select(GrievanceCategory).where(GrievanceCategory.parent_id == category.id)
        ):
            child.sensitive = True
    record(
        session,
        origin,
        "grievance_category.create" if create else "grievance_category.update",
        target_type="grievance_category",
        target_id=category.code,
        details={
            "sla_hours": category.sla_hours,
            "sensitive": category.sensitive,
            "priority": category.default_priority,
            "active": category.active,
        },
    )
    return category
