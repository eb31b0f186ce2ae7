"""Lists a field worker works through: self-registrations waiting for a visit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.households.models import Household, HouseholdStatus
from registry.scope import Scope, in_scope


def pending_verification(session: Session, scope: Scope, *, limit: int = 20) -> list[Household]:
    stmt = (
        in_scope(select(Household), scope, Household.area_id)
        .where(Household.status == HouseholdStatus.PENDING_VERIFICATION)
        .options(selectinload(Household.members))
        .order_by(Household.created_at, Household.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
