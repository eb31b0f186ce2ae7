"""Households and their members: registration, lookup and search, always within a scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from registry.areas.models import Area, AreaLevel
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import InvalidInput, NotFound
from registry.households.models import Consent, Household, HouseholdStatus, Person, Relation
from registry.i18n import N_
from registry.matching.check import Candidate, find_candidates
from registry.matching.models import PairOrigin
from registry.matching.pairs import record_candidates
from registry.numbers import HOUSEHOLD_NUMBER_LENGTH, is_valid, normalize, random_number
from registry.origin import Channel, Origin
from registry.outbox.service import queue_sms
from registry.scope import Scope, in_scope

CONSENT_NOTICE_VERSION = "2026-01"


@dataclass
class MemberData:
    given_name: str
    family_name: str
    sex: str
    birth_year: int
    relation: str
    birth_date: date | None = None
    phone: str | None = None
    language: str = "en"
    national_id: str | None = None
    disability: bool = False


@dataclass
class HouseholdData:
    area_code: str
    members: list[MemberData]
    address: str | None = None
    consent_given: bool = False
    consent_method: str = "spoken"
    extra: dict[str, object] = field(default_factory=dict)


class OnDuplicate(StrEnum):
    """What registering does when the duplicate check finds likely matches."""

    ASK = "ask"  # refuse with PossibleDuplicates: the person at the door looks first
    RECORD = "record"  # save, and put the pairs in the review queue (after someone looked)
    HOLD = "hold"  # save as held for review, in no program, pairs in the queue


class PossibleDuplicates(Exception):
    """Registration not saved: these households may be the same. The door shows them."""

    def __init__(self, candidates: list[Candidate]) -> None:
        super().__init__(f"{len(candidates)} possible duplicate(s)")
        self.candidates = candidates


def default_on_duplicate(origin: Origin) -> OnDuplicate:
    """Self-registrations (USSD, SMS) are held; everyone else is asked first."""
    return OnDuplicate.HOLD if origin.channel in (Channel.USSD, Channel.SMS) else OnDuplicate.ASK


_PAIR_ORIGINS = {
    Channel.USSD: PairOrigin.SELF_REGISTRATION,
    Channel.SMS: PairOrigin.SELF_REGISTRATION,
    Channel.CLI: PairOrigin.IMPORT,
    Channel.SYSTEM: PairOrigin.IMPORT,
}


def _new_household_number(session: Session) -> str:
    while True:
        number = random_number(HOUSEHOLD_NUMBER_LENGTH)
        if not session.scalar(select(Household.id).where(Household.number == number)):
            return number


def _community(session: Session, code: str) -> Area:
    area = session.scalar(select(Area).where(Area.code == code))
    if area is None or area.level != AreaLevel.COMMUNITY:
        raise InvalidInput(N_("Choose a community from the list."), field="area")
    return area


def register_household(
    session: Session,
    data: HouseholdData,
    *,
    origin: Origin,
    on_duplicate: OnDuplicate | None = None,
) -> Household:
    """Creates a household with its members; self-registrations wait for verification.

    Every door comes through here, so every registration is checked for duplicates: see
    OnDuplicate (the default depends on the channel)."""
    if not data.members:
        raise InvalidInput(N_("A household needs at least one member."), field="members")
    heads = [m for m in data.members if m.relation == Relation.HEAD]
    if len(heads) != 1:
        raise InvalidInput(N_("A household has exactly one head."), field="members")
    area = _community(session, data.area_code)
    self_registered = origin.channel in (Channel.USSD, Channel.SMS)
    policy = on_duplicate or default_on_duplicate(origin)
    candidates = find_candidates(session, data)
    if candidates and policy == OnDuplicate.ASK:
        raise PossibleDuplicates(candidates)
    held = bool(candidates) and policy == OnDuplicate.HOLD
    status = HouseholdStatus.PENDING_VERIFICATION if self_registered else HouseholdStatus.ACTIVE
    household = Household(
        number=_new_household_number(session),
        area_id=area.id,
        address=data.address,
        status=HouseholdStatus.HELD if held else status,
        source_channel=str(origin.channel),
        created_by_id=origin.actor_id,
    )
    order = sorted(
        range(len(data.members)), key=lambda i: data.members[i].relation != Relation.HEAD
    )
    ordered = [data.members[i] for i in order]
    household.members = [
        Person(
            position=index,
            given_name=m.given_name,
            family_name=m.family_name,
            sex=m.sex,
            birth_year=m.birth_year,
            birth_date=m.birth_date,
            relation=m.relation,
            phone=m.phone,
            language=m.language,
            national_id=m.national_id,
            disability=m.disability,
        )
        for index, m in enumerate(ordered)
    ]
    if not self_registered and not held:
        household.verified_by_id = origin.actor_id
        household.verified_at = utcnow()
    session.add(household)
    session.flush()
    session.add(
        Consent(
            household_id=household.id,
            person_id=household.members[0].id,
            given=data.consent_given,
            notice_version=CONSENT_NOTICE_VERSION,
            method=data.consent_method,
            channel=str(origin.channel),
            recorded_by_id=origin.actor_id,
        )
    )
    record(
        session,
        origin,
        "household.register",
        target_type="household",
        target_id=household.number,
        area_code=area.code,
        details={
            "members": len(household.members),
            "status": household.status,
            "possible_duplicates": [c.household_number for c in candidates],
        },
    )
    if candidates:
        by_input_index = [household.members[order.index(i)] for i in range(len(order))]
        pair_origin = PairOrigin.OFFLINE if held and not self_registered else PairOrigin.FIELD
        record_candidates(
            session,
            household,
            by_input_index,
            candidates,
            origin=_PAIR_ORIGINS.get(origin.channel, pair_origin),
        )
    head = household.members[0]
    if head.phone:
        queue_sms(
            session,
            to_phone=head.phone,
            language=head.language,
            msgid=N_("Kinga: household %(number)s is registered. Keep this number."),
            template="household.registered",
            params={"number": household.number},
            related_type="household",
            related_id=household.number,
        )
    return household


def view_household(session: Session, scope: Scope, number: str, *, origin: Origin) -> Household:
    """The household for a page that shows it whole (names, members, phones): a sensitive
    read, so it is audited (`household.view`), like an export. NotFound outside the scope."""
    household = get_household(session, scope, number)
    record(session, origin, "household.view", target_type="household", target_id=household.number)
    return household


def get_household(session: Session, scope: Scope, number: str) -> Household:
    """The household with this number inside the scope; NotFound otherwise (even if it exists)."""
    number = normalize(number)
    if not is_valid(number):
        raise NotFound(N_("No household with this number."))
    stmt = in_scope(
        select(Household).options(selectinload(Household.members)),
        scope,
        Household.area_id,
    ).where(Household.number == number)
    household = session.scalar(stmt)
    if household is None:
        raise NotFound(N_("No household with this number."))
    return household


def search_households(
    session: Session, scope: Scope, query: str, *, limit: int = 25
) -> list[Household]:
    """Search by household number, phone or name, only within the scope."""
    query = query.strip()[:100]
    stmt = in_scope(select(Household), scope, Household.area_id)
    if query:
        digits = normalize(query)
        conditions = []
        if digits.isdigit():
            conditions.append(Household.number == digits)
        like = f"%{query.lower()}%"
        members = select(Person.household_id).where(
            or_(
                func.lower(Person.given_name + " " + Person.family_name).like(like),
                Person.phone.like(f"%{digits[-9:]}") if digits.isdigit() else False,
            )
        )
        conditions.append(Household.id.in_(members))
        stmt = stmt.where(or_(*conditions))
    stmt = stmt.options(selectinload(Household.members)).order_by(Household.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def count_households(session: Session, scope: Scope, status: str | None = None) -> int:
    stmt = in_scope(select(func.count(Household.id)), scope, Household.area_id)
    if status:
        stmt = stmt.where(Household.status == status)
    return int(session.scalar(stmt) or 0)
