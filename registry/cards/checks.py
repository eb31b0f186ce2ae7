"""The server's answer to "is this card good?", for a scanned QR or a typed number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from registry.cards.keys import Keyring
from registry.cards.models import CardStatus
from registry.cards.service import card_by_number, revoked_numbers
from registry.cards.verify import Reason, Verdict, verify_qr
from registry.db import utcnow
from registry.numbers import CARD_NUMBER_LENGTH, is_valid, normalize


def check_qr(session: Session, keyring: Keyring, text: str, now: datetime | None = None) -> Verdict:
    return verify_qr(text.strip(), keyring.public_keys(), revoked_numbers(session), now or utcnow())


def check_number(session: Session, card_number: str, now: datetime | None = None) -> Verdict:
    """A typed number: the check digit first, then the card's own record."""
    number = normalize(card_number)
    if not is_valid(number, CARD_NUMBER_LENGTH):
        return Verdict(False, Reason.BAD_NUMBER)
    card = card_by_number(session, number)
    if card is None:
        return Verdict(False, Reason.UNKNOWN_CARD)
    if card.status == CardStatus.REVOKED:
        return Verdict(False, Reason.REVOKED)
    if card.status == CardStatus.EXPIRED or card.expires_at <= (now or utcnow()):
        return Verdict(False, Reason.EXPIRED)
    return Verdict(True, Reason.OK)
