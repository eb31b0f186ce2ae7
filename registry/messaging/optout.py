"""STOP and START: a number that opted out gets no SMS from any part of Kinga until START."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.messaging.models import SmsContact
from registry.origin import Origin


def _contact(session: Session, phone: str) -> SmsContact:
    contact = session.get(SmsContact, phone)
    if contact is None:
        contact = SmsContact(phone=phone, opted_out=False)
        session.add(contact)
    return contact


def is_opted_out(session: Session, phone: str) -> bool:
    return bool(session.scalar(select(SmsContact.opted_out).where(SmsContact.phone == phone)))


def opt_out(session: Session, phone: str, *, origin: Origin) -> None:
    contact = _contact(session, phone)
    if not contact.opted_out:
        contact.opted_out = True
        contact.opted_out_at = utcnow()
        record(session, origin, "sms.opt_out", target_type="phone", target_id=phone[-4:])
    session.flush()


def opt_in(session: Session, phone: str, *, origin: Origin) -> None:
    contact = _contact(session, phone)
    if contact.opted_out:
        contact.opted_out = False
        contact.opted_out_at = None
        record(session, origin, "sms.opt_in", target_type="phone", target_id=phone[-4:])
    session.flush()


def preferred_language(session: Session, phone: str) -> str | None:
    """The language this number chose with the LANGUAGE keyword, if any."""
    return session.scalar(select(SmsContact.language).where(SmsContact.phone == phone))


def set_preferred_language(session: Session, phone: str, language: str, *, origin: Origin) -> None:
    contact = _contact(session, phone)
    contact.language = language
    record(
        session,
        origin,
        "sms.language",
        target_type="phone",
        target_id=phone[-4:],
        details={"language": language},
    )
    session.flush()
