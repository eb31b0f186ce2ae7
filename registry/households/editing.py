"""Changing a household after registration: edits, in-person verification, consent.

Edits use optimistic locking: the caller says which version they opened, and an edit made on
an older version is refused (`StaleEdit`) with the current household, so the door can show
both versions; nothing is silently overwritten.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.households.models import Consent, Household, HouseholdStatus, Person, Relation
from registry.households.service import (
    CONSENT_NOTICE_VERSION,
    HouseholdData,
    MemberData,
    _community,
    get_household,
)
from registry.i18n import N_
from registry.origin import Origin
from registry.scope import Scope

CONSENT_METHODS = frozenset({"spoken", "signed", "thumbprint", "ussd", "sms"})


class StaleEdit(Conflict):
    """The household changed since the caller opened it."""

    def __init__(self, current: Household) -> None:
        super().__init__(N_("This household was changed since you opened it."))
        self.current = current


def update_household(
    session: Session,
    scope: Scope,
    number: str,
    data: HouseholdData,
    expected_version: int,
    *,
    origin: Origin,
) -> Household:
    household = get_household(session, scope, number)
    if household.version != expected_version:
        raise StaleEdit(household)
    _apply(session, household, data)
    session.flush()
    record(
        session,
        origin,
        "household.update",
        target_type="household",
        target_id=household.number,
        area_code=household.area.code,
        details={"members": len(household.members), "version": household.version},
    )
    return household


def verify_household(
    session: Session,
    scope: Scope,
    number: str,
    data: HouseholdData,
    expected_version: int,
    *,
    origin: Origin,
) -> Household:
    """A worker met a self-registered household: corrections applied, the household active."""
    household = get_household(session, scope, number)
    if household.status != HouseholdStatus.PENDING_VERIFICATION:
        raise Conflict(N_("This household does not wait for verification."))
    if household.version != expected_version:
        raise StaleEdit(household)
    _apply(session, household, data)
    household.status = HouseholdStatus.ACTIVE
    household.verified_by_id = origin.actor_id
    household.verified_at = utcnow()
    session.flush()
    _add_consent(session, household, data.consent_given, data.consent_method, None, origin)
    record(
        session,
        origin,
        "household.verify",
        target_type="household",
        target_id=household.number,
        area_code=household.area.code,
        details={"members": len(household.members)},
    )
    return household


def record_consent(
    session: Session,
    scope: Scope,
    number: str,
    *,
    given: bool,
    method: str,
    on: date,
    origin: Origin,
) -> Consent:
    """Consent (or its refusal) under the current notice, as the worker took it on `on`."""
    household = get_household(session, scope, number)
    consent = _add_consent(session, household, given, method, on, origin)
    record(
        session,
        origin,
        "household.consent",
        target_type="household",
        target_id=household.number,
        area_code=household.area.code,
        details={"given": given, "method": method, "notice": CONSENT_NOTICE_VERSION},
    )
    return consent


def _add_consent(
    session: Session,
    household: Household,
    given: bool,
    method: str,
    on: date | None,
    origin: Origin,
) -> Consent:
    if method not in CONSENT_METHODS:
        raise InvalidInput(N_("Choose how consent was given."), field="method")
    now = utcnow()
    when = now if on is None or on == now.date() else datetime.combine(on, time(12), tzinfo=UTC)
    consent = Consent(
        household_id=household.id,
        person_id=household.head.id if household.head else None,
        given=given,
        notice_version=CONSENT_NOTICE_VERSION,
        method=method,
        channel=str(origin.channel),
        recorded_by_id=origin.actor_id,
        recorded_at=when,
    )
    session.add(consent)
    session.flush()
    return consent


def _apply(session: Session, household: Household, data: HouseholdData) -> None:
    """Updates members in place (same people keep their ids), adds and removes the rest."""
    heads = [m for m in data.members if m.relation == Relation.HEAD]
    if len(heads) != 1:
        raise InvalidInput(N_("A household has exactly one head."), field="members")
    area = _community(session, data.area_code)
    household.area_id = area.id
    household.area = area
    household.address = data.address
    household.updated_at = utcnow()  # the household row changes, so its version moves on
    ordered = sorted(data.members, key=lambda m: m.relation != Relation.HEAD)
    people = list(household.members)
    for index, member in enumerate(ordered):
        if index < len(people):
            _copy(member, people[index])
            people[index].position = index
        else:
            person = Person(position=index)
            _copy(member, person)
            household.members.append(person)
    for extra in people[len(ordered) :]:
        household.members.remove(extra)


def _copy(member: MemberData, person: Person) -> None:
    person.given_name = member.given_name
    person.family_name = member.family_name
    person.sex = member.sex
    person.birth_year = member.birth_year
    person.birth_date = member.birth_date
    person.relation = member.relation
    person.phone = member.phone
    person.language = member.language
    person.national_id = member.national_id
    person.disability = member.disability


def latest_consent(session: Session, household: Household) -> Consent | None:
    from sqlalchemy import select

    stmt = (
        select(Consent)
        .where(Consent.household_id == household.id)
        .order_by(Consent.id.desc())  # the last statement made, whatever date it bears
        .limit(1)
    )
    return session.scalar(stmt)


def consent_history(session: Session, household: Household) -> list[tuple[Consent, str | None]]:
    """Every consent statement of the household, newest first, with who recorded it."""
    from sqlalchemy import select

    from registry.users.models import User

    stmt = (
        select(Consent, User.full_name)
        .outerjoin(User, User.id == Consent.recorded_by_id)
        .where(Consent.household_id == household.id)
        .order_by(Consent.id.desc())
    )
    return [(consent, name) for consent, name in session.execute(stmt)]
