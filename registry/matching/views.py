"""What a door may show about duplicate candidates: numbers and names only inside the
caller's scope; outside it, only that a likely match exists elsewhere, with score and reasons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from registry.households.models import Household
from registry.i18n import N_
from registry.matching.check import Candidate
from registry.matching.models import MatchPair, PairStatus
from registry.scope import Scope, in_scope

# Plain-words names of the compared fields, shown as reasons.
FIELD_LABELS = {
    "given_name": N_("given name"),
    "family_name": N_("family name"),
    "birth": N_("birth date or year"),
    "sex": N_("sex"),
    "phone": N_("phone"),
    "national_id": N_("national ID"),
    "area": N_("area"),
    "address": N_("address"),
    "postcode": N_("postcode"),
}


@dataclass(frozen=True)
class CandidateView:
    number: str  # "" when the household lies outside the caller's scope
    head_name: str
    percent: int
    agreeing: list[str]  # msgids of FIELD_LABELS
    differing: list[str]

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number or None,
            "score": self.percent / 100,
            "agreeing": self.agreeing,
            "differing": self.differing,
        }


def candidate_views(
    session: Session, scope: Scope, candidates: list[Candidate]
) -> list[CandidateView]:
    ids = [c.household_id for c in candidates]
    visible = {
        h.id: h
        for h in session.scalars(
            in_scope(
                select(Household).options(selectinload(Household.members)),
                scope,
                Household.area_id,
            ).where(Household.id.in_(ids))
        )
    }
    views = []
    for candidate in candidates:
        household = visible.get(candidate.household_id)
        head = household.head if household is not None else None
        views.append(
            CandidateView(
                number=household.number if household is not None else "",
                head_name=head.full_name if head is not None else "",
                percent=int(round(candidate.score * 100)),
                agreeing=[FIELD_LABELS[n] for n in candidate.agreeing if n in FIELD_LABELS],
                differing=[FIELD_LABELS[n] for n in candidate.differing if n in FIELD_LABELS],
            )
        )
    return views


def possible_duplicate_numbers(session: Session, scope: Scope, household: Household) -> list[str]:
    """Numbers of the households (within scope) that an open pair links to this one."""
    others = (
        select(MatchPair.household_a_id)
        .where(MatchPair.household_b_id == household.id, MatchPair.status == PairStatus.OPEN)
        .union(
            select(MatchPair.household_b_id).where(
                MatchPair.household_a_id == household.id, MatchPair.status == PairStatus.OPEN
            )
        )
    )
    stmt = in_scope(select(Household.number), scope, Household.area_id).where(
        Household.id.in_(others), or_(Household.id != household.id)
    )
    return list(session.scalars(stmt))
