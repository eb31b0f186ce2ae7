"""The public face of grievances: lodge one from any channel, track it, list categories.

Officer actions live in `registry.grievances.actions`, queries in `registry.grievances.queries`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.db import utcnow
from registry.errors import InvalidInput
from registry.grievances import sms
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.offices import staffed_area
from registry.grievances.states import (
    STATUS_LABELS,
    EventKind,
    GrievanceChannel,
    Status,
)
from registry.grievances.timeline import log_event
from registry.households.models import Household, Person
from registry.i18n import N_, translate
from registry.kvstore import KeyValueStore
from registry.numbers import GRIEVANCE_NUMBER_LENGTH, is_valid, normalize, random_number
from registry.origin import Channel, Origin
from registry.outbox.models import OutboxMessage
from registry.outbox.service import queue_sms
from registry.phones import normalize_phone
from registry.scope import Scope, in_scope
from registry.settings import DEFAULT_LANGUAGES

MAX_TEXT = 2000

_CHANNEL_OF_ORIGIN = {
    Channel.USSD: GrievanceChannel.USSD,
    Channel.SMS: GrievanceChannel.SMS,
    Channel.VOICE: GrievanceChannel.VOICE,
    Channel.FIELD: GrievanceChannel.FIELD,
    Channel.WEB: GrievanceChannel.WALK_IN,
    Channel.API: GrievanceChannel.PUBLIC_WEB,
}


@dataclass
class GrievanceData:
    category_code: str
    text: str
    area_code: str | None
    complainant_phone: str | None
    person_id: int | None
    anonymous: bool
    consent_to_contact: bool
    language: str
    channel: str | None = None  # a GrievanceChannel; taken from the origin when omitted

    @classmethod
    def from_answers(
        cls, answers: Mapping[str, Any], *, language: str, channel: str | None = None
    ) -> GrievanceData:
        """From the clean answers of the `grievance` form (forms/): category, text, area,
        anonymous, complainant_phone, consent_to_contact."""
        anonymous = bool(answers.get("anonymous"))
        return cls(
            category_code=str(answers.get("category") or ""),
            text=str(answers.get("text") or ""),
            area_code=answers.get("area") or None,
            complainant_phone=None if anonymous else (answers.get("complainant_phone") or None),
            person_id=answers.get("person_id"),
            anonymous=anonymous,
            consent_to_contact=bool(answers.get("consent_to_contact")) and not anonymous,
            language=language,
            channel=channel,
        )


@dataclass(frozen=True)
class TrackView:
    number: str
    status: str
    status_label: str
    last_public_reply: str | None
    updated_at: datetime


@dataclass(frozen=True)
class CategoryChoice:
    code: str
    name: str


def list_categories(session: Session, language: str) -> list[CategoryChoice]:
    """Active top-level categories in display order, named in `language`."""
    rows = session.scalars(
        select(GrievanceCategory)
        .where(GrievanceCategory.parent_id.is_(None), GrievanceCategory.active.is_(True))
        .order_by(GrievanceCategory.position, GrievanceCategory.code)
    )
    return [CategoryChoice(c.code, c.name_in(language)) for c in rows]


def due_from(start: datetime, sla_hours: int) -> datetime:
    return start + timedelta(hours=sla_hours)


def _new_number(session: Session) -> str:
    while True:
        number = random_number(GRIEVANCE_NUMBER_LENGTH)
        if not session.scalar(select(Grievance.id).where(Grievance.number == number)):
            return number


def _category(session: Session, code: str) -> GrievanceCategory:
    category = session.scalar(select(GrievanceCategory).where(GrievanceCategory.code == code))
    if category is None or not category.active:
        raise InvalidInput(N_("Choose a category from the list."), field="category")
    return category


def _root_area(session: Session) -> Area:
    return session.scalars(select(Area).where(Area.parent_id.is_(None)).order_by(Area.id)).one()


def _complainant(
    session: Session, data: GrievanceData, phone: str | None, scope: Scope
) -> tuple[Person | None, Area | None]:
    """The registered person behind the complaint, if any, and their household's area.

    Only a person inside `scope` is linked: an officer lodging a walk-in complaint must not
    learn from the result whether a phone is registered in another region."""
    person = None
    people = in_scope(
        select(Person).join(Household, Household.id == Person.household_id),
        scope,
        Household.area_id,
    )
    if data.person_id is not None:
        person = session.scalar(people.where(Person.id == data.person_id))
        if person is None:
            raise InvalidInput(N_("Unknown person."), field="person")
    elif phone:
        matches = list(session.scalars(people.where(Person.phone == phone).limit(2)))
        person = matches[0] if len(matches) == 1 else None
    if person is None:
        return None, None
    return person, session.get(Household, person.household_id).area  # type: ignore[union-attr]


def _area(session: Session, data: GrievanceData, person_area: Area | None) -> Area:
    if data.area_code:
        area = session.scalar(select(Area).where(Area.code == data.area_code))
        if area is None:
            raise InvalidInput(N_("Unknown area code."), field="area")
        return area
    # Unknown area: the country's officers triage it.
    return person_area or _root_area(session)


def _phone(raw: str | None) -> str | None:
    """E.164 form of the complainant's phone; a gateway's E.164 number is taken as given."""
    if not raw:
        return None
    phone = normalize_phone(raw)
    if phone is None and raw.startswith("+") and raw[1:].isdigit() and 8 <= len(raw) <= 16:
        phone = raw
    if phone is None:
        raise InvalidInput(N_("This phone number is not valid."), field="phone")
    return phone


def lodge_grievance(
    session: Session, data: GrievanceData, *, origin: Origin, scope: Scope
) -> Grievance:
    """Records a grievance from any channel and queues the SMS receipt with its number.

    `scope`: where a registered complainant may be looked up: the officer's areas for a
    walk-in or field complaint; everywhere (`Scope.unrestricted()`) when the complainant's
    own (gateway-authenticated) phone lodges it.

    Anonymous complaints keep no phone and no person: the receipt (the only way to follow
    the complaint) is still sent to the phone it came from, then the phone is forgotten.
    """
    text = " ".join(data.text.split())
    if not text:
        raise InvalidInput(N_("Please describe the problem."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            N_("Please keep the description under %(n)s characters."), field="text", n=MAX_TEXT
        )
    channel = data.channel or _CHANNEL_OF_ORIGIN.get(origin.channel, GrievanceChannel.WALK_IN)
    if channel not in GrievanceChannel.__members__.values():
        raise InvalidInput(N_("Unknown channel."), field="channel")
    category = _category(session, data.category_code)
    phone = _phone(data.complainant_phone)
    person, person_area = (
        (None, None) if data.anonymous else _complainant(session, data, phone, scope)
    )
    area = _area(session, data, person_area)
    now = utcnow()
    grievance = Grievance(
        number=_new_number(session),
        channel=channel,
        category=category,
        text=text,
        area=area,
        handling_area=staffed_area(session, area, sensitive=category.sensitive) or area,
        person_id=person.id if person else None,
        complainant_phone=None if data.anonymous else phone,
        anonymous=data.anonymous,
        consent_to_contact=data.consent_to_contact and not data.anonymous,
        language=data.language if data.language in DEFAULT_LANGUAGES else DEFAULT_LANGUAGES[0],
        priority=category.default_priority,
        status=Status.NEW,
        received_at=now,
        due_at=due_from(now, category.sla_hours),
        updated_at=now,
    )
    session.add(grievance)
    session.flush()
    receipt = _queue_receipt(session, grievance, phone)
    log_event(
        session,
        grievance,
        EventKind.RECEIVED,
        origin,
        public=True,
        message=receipt,
        details={"channel": channel, "category": category.code},
    )
    return grievance


def _queue_receipt(
    session: Session, grievance: Grievance, phone: str | None
) -> OutboxMessage | None:
    if not phone:
        return None
    days = max(1, round(grievance.category.sla_hours / 24))
    msgid = sms.RECEIPT_ANONYMOUS if grievance.anonymous else sms.RECEIPT
    return queue_sms(
        session,
        to_phone=phone,
        language=grievance.language,
        msgid=msgid,
        template="grievance.received",
        params={"number": grievance.number, "days": days},
        related_type="grievance",
        related_id=grievance.number,
    )


def find_by_number(session: Session, number: str) -> Grievance | None:
    """Unscoped lookup by tracking number (Luhn-checked first); for the complainant's doors."""
    number = normalize(number)
    if not is_valid(number) or len(number) > 10:
        return None
    return session.scalar(select(Grievance).where(Grievance.number == number))


def track_grievance(session: Session, number: str, language: str) -> TrackView | None:
    """What the complainant may know: status and the last public answer, nothing internal."""
    grievance = find_by_number(session, number)
    if grievance is None:
        return None
    public_texts = [e.text for e in grievance.events if e.public and e.text]
    return TrackView(
        number=grievance.number,
        status=grievance.status,
        status_label=translate(language, STATUS_LABELS[Status(grievance.status)]),
        last_public_reply=public_texts[-1] if public_texts else None,
        updated_at=grievance.updated_at,
    )


TRACK_ATTEMPTS = 10  # per calling phone per hour: enough for people, too few to scan numbers
TRACK_WINDOW_SECONDS = 3600


def track_for_caller(
    session: Session, kv: KeyValueStore, caller_phone: str, number: str, language: str
) -> TrackView | None:
    """A caller's lookup by tracking number (USSD, voice): None when unknown or when this
    phone has spent its hourly attempts, so the two cannot be told apart."""
    if kv.incr(f"track:phone:{caller_phone}", TRACK_WINDOW_SECONDS) > TRACK_ATTEMPTS:
        return None
    return track_grievance(session, number, language)
