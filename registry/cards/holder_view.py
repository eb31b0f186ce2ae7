"""What a logged-in worker sees about a card holder after a check, within their areas only."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from registry.cards.holders import holder_name
from registry.cards.models import Card
from registry.programs.status import household_status
from registry.scope import Scope


@dataclass(frozen=True)
class EnrollmentLine:
    program: str
    status: str


@dataclass(frozen=True)
class HolderView:
    card_number: str
    card_status: str
    name: str
    household_number: str
    area_name: str
    members: int
    enrollments: list[EnrollmentLine] = field(default_factory=list)


def _enrollments(session: Session, card: Card, language: str) -> list[EnrollmentLine]:
    view = household_status(session, card.household, language)
    return [EnrollmentLine(line.program_name, line.status_label) for line in view.enrollments]


def holder_view(session: Session, card: Card, scope: Scope, language: str) -> HolderView | None:
    """None when the holder lives outside the worker's areas: they see the verdict only."""
    household = card.household
    if not scope.covers(household.area):
        return None
    return HolderView(
        card_number=card.number,
        card_status=card.status,
        name=holder_name(household, card.person),
        household_number=household.number,
        area_name=household.area.name_in(language),
        members=len(household.members),
        enrollments=_enrollments(session, card, language),
    )
