"""Registering once per submission key: a phone that resends after a lost reply gets the
household its first attempt created."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.households.models import Household
from registry.households.service import HouseholdData, OnDuplicate, register_household
from registry.i18n import N_
from registry.origin import Origin
from registry.submissions.models import SubmissionKey

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def household_for_key(session: Session, key: str) -> Household | None:
    household_id = session.scalar(
        select(SubmissionKey.household_id).where(SubmissionKey.key == key)
    )
    return session.get(Household, household_id) if household_id is not None else None


def register_household_once(
    session: Session,
    key: str,
    data: HouseholdData,
    *,
    origin: Origin,
    on_duplicate: OnDuplicate | None = None,
) -> tuple[Household, bool]:
    """(household, created): the household registered under `key`, registering it if new.

    Two requests racing with the same key: the loser's insert fails on the primary key, its
    savepoint rolls back, and it returns the winner's household.
    """
    if not KEY_PATTERN.match(key):
        raise InvalidInput(N_("This submission has no valid key."), field="submission_key")
    existing = household_for_key(session, key)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            household = register_household(session, data, origin=origin, on_duplicate=on_duplicate)
            session.add(
                SubmissionKey(
                    key=key,
                    kind="household.register",
                    household_id=household.id,
                    user_id=origin.actor_id,
                )
            )
            session.flush()
    except IntegrityError:
        existing = household_for_key(session, key)
        if existing is None:
            raise
        return existing, False
    return household, True
