"""Issue, reissue, revoke and expire cards; one active card per holder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.cards.holders import (
    holder_language,
    holder_person,
    initials,
    new_holder_ref,
    program_codes,
)
from registry.cards.keys import Keyring, SigningKey
from registry.cards.models import Card, CardStatus, RevokeReason, VerificationEvent
from registry.cards.payload import CardClaims, sign_claims
from registry.cards.verify import MAX_PAYLOAD_CHARS
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.models import Household, HouseholdStatus, Person
from registry.i18n import N_
from registry.numbers import CARD_NUMBER_LENGTH, is_valid, normalize, random_number
from registry.origin import Origin
from registry.scope import Scope, in_scope

CARD_VALIDITY = timedelta(days=3 * 365)
# What a version-12 QR at level Q leaves room for, with area codes like the demo's.
MAX_CARD_PROGRAMS = 5


def _new_card_number(session: Session) -> str:
    while True:
        number = random_number(CARD_NUMBER_LENGTH)
        if not session.scalar(select(Card.id).where(Card.number == number)):
            return number


def active_card(session: Session, household: Household, person: Person | None) -> Card | None:
    stmt = select(Card).where(
        Card.household_id == household.id,
        Card.status == CardStatus.ACTIVE,
        Card.person_id.is_(None) if person is None else Card.person_id == person.id,
    )
    return session.scalar(stmt)


def issue_card(
    session: Session,
    household: Household,
    *,
    origin: Origin,
    keyring: Keyring,
    person: Person | None = None,
    now: datetime | None = None,
    validity: timedelta = CARD_VALIDITY,
    holder_ref: str | None = None,
    replaces: Card | None = None,
) -> Card:
    """Signs and stores a new card; refused while the holder still has an active one."""
    if person is not None and person.household_id != household.id:
        raise InvalidInput(N_("This person is not a member of the household."), field="person")
    if household.status != HouseholdStatus.ACTIVE:
        raise Conflict(N_("Only an active household can hold a card."))
    if active_card(session, household, person) is not None:
        raise Conflict(N_("This holder already has an active card. Revoke it first."))
    issued = (now or utcnow()).replace(microsecond=0)
    holder = holder_person(household, person)
    claims = CardClaims(
        card_number=_new_card_number(session),
        holder_ref=holder_ref or new_holder_ref(),
        area_code=household.area.code,
        programs=tuple(program_codes(session, household)[:MAX_CARD_PROGRAMS]),
        issued_at=issued,
        expires_at=issued + validity,
        initials=initials(holder),
        birth_year=holder.birth_year if holder else None,
    )
    key = keyring.ensure_signing_key()
    payload = _fitting_payload(claims, key)
    card = Card(
        number=claims.card_number,
        household_id=household.id,
        person_id=person.id if person else None,
        holder_ref=claims.holder_ref,
        status=CardStatus.ACTIVE,
        key_id=key.kid,
        payload=payload,
        language=holder_language(household, person),
        issued_at=claims.issued_at,
        expires_at=claims.expires_at,
        replaces_id=replaces.id if replaces else None,
        issued_by_id=origin.actor_id,
    )
    session.add(card)
    session.flush()
    record(
        session,
        origin,
        "card.issue",
        target_type="card",
        target_id=card.number,
        area_code=household.area.code,
        details={
            "household": household.number,
            "kid": key.kid,
            "replaces": replaces and replaces.number,
        },
    )
    return card


def _fitting_payload(claims: CardClaims, key: SigningKey) -> str:
    """The signed payload, leaving out the optional holder hints if that is what makes it fit."""
    for attempt in (claims, replace(claims, initials=None, birth_year=None)):
        payload = sign_claims(attempt, key)
        if len(payload) <= MAX_PAYLOAD_CHARS:
            return payload
    raise Conflict(N_("The card content does not fit in its QR code."))


def revoke_card(
    session: Session, card: Card, *, reason: str, origin: Origin, now: datetime | None = None
) -> Card:
    if reason not in RevokeReason.__members__.values():
        raise InvalidInput(N_("Choose why the card is revoked."), field="reason")
    if card.status != CardStatus.ACTIVE:
        raise Conflict(N_("This card is no longer active."))
    latest = session.scalar(select(func.max(Card.revocation_seq))) or 0
    card.status = CardStatus.REVOKED
    card.revoked_at = now or utcnow()
    card.revoke_reason = reason
    card.revocation_seq = latest + 1
    session.flush()
    record(
        session,
        origin,
        "card.revoke",
        target_type="card",
        target_id=card.number,
        area_code=card.household.area.code,
        details={"reason": reason},
    )
    return card


def reissue_card(
    session: Session, card: Card, *, reason: str, origin: Origin, keyring: Keyring
) -> Card:
    """A lost or damaged card is revoked first, then its holder gets a new number."""
    if card.status == CardStatus.ACTIVE:
        revoke_card(session, card, reason=reason, origin=origin)
    return issue_card(
        session,
        card.household,
        person=card.person,
        origin=origin,
        keyring=keyring,
        holder_ref=card.holder_ref,
        replaces=card,
    )


def expire_cards(session: Session, *, origin: Origin, now: datetime | None = None) -> int:
    """Marks active cards past their expiry date as expired; returns how many."""
    moment = now or utcnow()
    cards = list(
        session.scalars(
            select(Card).where(Card.status == CardStatus.ACTIVE, Card.expires_at <= moment)
        )
    )
    for card in cards:
        card.status = CardStatus.EXPIRED
    session.flush()
    if cards:
        record(session, origin, "card.expire", target_type="card", details={"count": len(cards)})
    return len(cards)


def find_household_by_card(session: Session, card_number: str) -> Household | None:
    """The household holding an active card with this number (Luhn-checked before lookup)."""
    number = normalize(card_number)
    if not is_valid(number, CARD_NUMBER_LENGTH):
        return None
    card = session.scalar(
        select(Card).where(Card.number == number, Card.status == CardStatus.ACTIVE)
    )
    if card is None or card.expires_at <= utcnow():
        return None
    return card.household


def card_by_number(session: Session, card_number: str) -> Card | None:
    number = normalize(card_number)
    if not is_valid(number, CARD_NUMBER_LENGTH):
        return None
    return session.scalar(select(Card).where(Card.number == number))


def card_in_scope(session: Session, card_number: str, scope: Scope) -> Card:
    card = card_by_number(session, card_number)
    if card is None or not scope.covers(card.household.area):
        raise NotFound(N_("No such card."))
    return card


def cards_of_household(session: Session, household: Household) -> list[Card]:
    stmt = select(Card).where(Card.household_id == household.id).order_by(Card.issued_at.desc())
    return list(session.scalars(stmt))


def active_cards_in_area(session: Session, area_code: str, scope: Scope) -> list[Card]:
    """Active cards of households in the area or below, in household number order."""
    area = session.scalar(select(Area).where(Area.code == area_code))
    if area is None or not scope.covers(area):
        raise NotFound(N_("No such area."))
    stmt = (
        select(Card)
        .join(Household, Card.household_id == Household.id)
        .join(Area, Household.area_id == Area.id)
        .where(Card.status == CardStatus.ACTIVE, Area.path.startswith(area.path))
        .order_by(Household.number, Card.person_id.nulls_first())
    )
    return list(session.scalars(in_scope(stmt, scope, Household.area_id)))


def households_without_card(session: Session, area_code: str, scope: Scope) -> list[Household]:
    """Active households of the area (and below, within scope) with no active household card."""
    area = session.scalar(select(Area).where(Area.code == area_code))
    if area is None or not scope.covers(area):
        raise NotFound(N_("No such area."))
    holding = select(Card.household_id).where(
        Card.status == CardStatus.ACTIVE, Card.person_id.is_(None)
    )
    stmt = (
        select(Household)
        .join(Area, Household.area_id == Area.id)
        .where(
            Area.path.startswith(area.path),
            Household.status == HouseholdStatus.ACTIVE,
            Household.id.not_in(holding),
        )
        .order_by(Household.number)
    )
    return list(session.scalars(in_scope(stmt, scope, Household.area_id)))


def issue_missing_cards(
    session: Session, area_code: str, *, scope: Scope, origin: Origin, keyring: Keyring
) -> int:
    """Gives a household card to every active household of the area that has none."""
    households = households_without_card(session, area_code, scope)
    for household in households:
        issue_card(session, household, origin=origin, keyring=keyring)
    return len(households)


@dataclass(frozen=True)
class RevocationList:
    version: int
    numbers: list[str]


def revocation_list(session: Session) -> RevocationList:
    """Revoked cards that have not yet expired (an expired card fails on its own)."""
    rows = session.execute(
        select(Card.number, Card.revocation_seq)
        .where(Card.status == CardStatus.REVOKED, Card.expires_at > utcnow())
        .order_by(Card.number)
    ).all()
    version = session.scalar(select(func.max(Card.revocation_seq))) or 0
    return RevocationList(version=version, numbers=[row.number for row in rows])


def revoked_numbers(session: Session) -> set[str]:
    return set(session.scalars(select(Card.number).where(Card.status == CardStatus.REVOKED)))


def record_verification(
    session: Session,
    *,
    card_number: str | None,
    valid: bool,
    reason: str,
    method: str,
    origin: Origin,
) -> VerificationEvent:
    card = card_by_number(session, card_number) if card_number else None
    event = VerificationEvent(
        card_id=card.id if card else None,
        card_number=card_number if card_number and card_number.isdigit() else None,
        valid=valid,
        reason=reason,
        method=method,
        channel=str(origin.channel),
        user_id=origin.actor_id,
    )
    session.add(event)
    session.flush()
    record(
        session,
        origin,
        "card.verify",
        target_type="card",
        target_id=event.card_number,
        details={"valid": valid, "reason": reason, "method": method},
    )
    return event


def households_in_scope(session: Session, scope: Scope, numbers: Sequence[str]) -> list[Household]:
    stmt = select(Household).where(Household.number.in_(list(numbers)))
    return list(session.scalars(in_scope(stmt, scope, Household.area_id)))
