"""What is printed on a card, in the holder's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.cards.holders import holder_name
from registry.cards.models import Card
from registry.cards.payload import read_claims
from registry.i18n import N_, translate

LABELS = {
    "title": N_("Beneficiary card"),
    "area": N_("Area"),
    "programs": N_("Programs"),
    "issued": N_("Issued"),
    "expires": N_("Expires"),
    "number": N_("Card number"),
    "none": N_("none yet"),
}


@dataclass(frozen=True)
class CardFace:
    number: str
    holder_name: str
    area_name: str
    programs: tuple[str, ...]
    issued: date
    expires: date
    payload: str
    language: str
    labels: dict[str, str]

    @property
    def grouped_number(self) -> str:
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))

    @property
    def programs_text(self) -> str:
        return ", ".join(self.programs) if self.programs else self.labels["none"]


def labels_in(language: str) -> dict[str, str]:
    return {key: translate(language, msgid) for key, msgid in LABELS.items()}


def card_face(card: Card, language: str | None = None) -> CardFace:
    lang = language or card.language
    household = card.household
    return CardFace(
        number=card.number,
        holder_name=holder_name(household, card.person),
        area_name=household.area.name_in(lang),
        programs=read_claims(card.payload).programs,
        issued=card.issued_at.date(),
        expires=card.expires_at.date(),
        payload=card.payload,
        language=lang,
        labels=labels_in(lang),
    )
