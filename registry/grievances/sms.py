"""The SMS a complainant receives: templates, and the two-segment limit on what we send."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.errors import InvalidInput
from registry.grievances.models import Grievance
from registry.i18n import N_
from registry.messaging.encoding import segments
from registry.outbox.models import OutboxMessage
from registry.outbox.service import queue_sms, render_sms

MAX_SEGMENTS = 2

RECEIPT = N_(
    "Kinga: we received your complaint. Tracking number %(number)s. "
    "We will answer within %(days)s days."
)
RECEIPT_ANONYMOUS = N_(
    "Kinga: we received your complaint. Tracking number %(number)s. "
    "Dial the service code to follow it."
)
REPLY = N_("Kinga %(number)s: %(text)s")
RESOLVED = N_("Kinga %(number)s: decision: %(decision)s. %(text)s")
SURVEY = N_("Kinga %(number)s: are you satisfied with our answer? Reply 1 if yes, 2 if not.")
ESCALATED = N_("Kinga %(number)s: your complaint was passed to a senior officer.")
REOPENED = N_("Kinga %(number)s: your complaint is open again. We will answer soon.")
CLOSED = N_("Kinga %(number)s: your complaint is closed. Thank you.")


def render(language: str, msgid: str, **params: object) -> str:
    """The text as sent: transliterated to GSM-7 where the language allows (as the outbox does)."""
    return render_sms(language, msgid, **params)


def check_fits(language: str, msgid: str, field: str, **params: object) -> None:
    """Refuses free text that would make the complainant's SMS longer than two parts."""
    if segments(render(language, msgid, **params))[1] > MAX_SEGMENTS:
        raise InvalidInput(N_("This text is too long for an SMS; please shorten it."), field=field)


def can_text(grievance: Grievance) -> bool:
    """Whether we may send this complainant an SMS after the receipt."""
    return bool(grievance.complainant_phone and grievance.consent_to_contact)


def notify(
    session: Session, grievance: Grievance, msgid: str, template: str, **params: object
) -> OutboxMessage | None:
    """Queues an SMS to the complainant in their language, when they may be contacted."""
    if not can_text(grievance):
        return None
    assert grievance.complainant_phone is not None
    return queue_sms(
        session,
        to_phone=grievance.complainant_phone,
        language=grievance.language,
        msgid=msgid,
        template=template,
        params={"number": grievance.number, **params},
        related_type="grievance",
        related_id=grievance.number,
    )
