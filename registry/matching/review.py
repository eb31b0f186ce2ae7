"""The review queue: likely duplicates, decided one by one or in batches (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.models import Household, HouseholdStatus, Person
from registry.i18n import N_
from registry.matching.merge import merge_households
from registry.matching.models import MatchPair, Merge, PairStatus
from registry.origin import Channel, Origin
from registry.scope import Scope, in_scope


class Decision(StrEnum):
    SAME = "same"
    DIFFERENT = "different"


@dataclass(frozen=True)
class PairView:
    pair: MatchPair
    person_a: Person
    person_b: Person
    household_a: Household
    household_b: Household


def _visible(stmt, scope: Scope):  # type: ignore[no-untyped-def]
    """Both households must lie in the reviewer's scope: a pair shows people of both."""
    first, second = aliased(Household), aliased(Household)
    stmt = stmt.join(first, first.id == MatchPair.household_a_id).join(
        second, second.id == MatchPair.household_b_id
    )
    return in_scope(in_scope(stmt, scope, first.area_id), scope, second.area_id)


def open_pairs(session: Session, scope: Scope, *, limit: int = 50) -> list[PairView]:
    stmt = _visible(select(MatchPair), scope).where(MatchPair.status == PairStatus.OPEN)
    pairs = list(session.scalars(stmt.order_by(MatchPair.score.desc(), MatchPair.id).limit(limit)))
    return [_view(session, pair) for pair in pairs]


def count_open_pairs(session: Session, scope: Scope) -> int:
    stmt = _visible(select(func.count(MatchPair.id)), scope)
    return int(session.scalar(stmt.where(MatchPair.status == PairStatus.OPEN)) or 0)


def _view(session: Session, pair: MatchPair) -> PairView:
    return PairView(
        pair,
        session.get_one(Person, pair.person_a_id),
        session.get_one(Person, pair.person_b_id),
        session.get_one(Household, pair.household_a_id),
        session.get_one(Household, pair.household_b_id),
    )


def get_pair(session: Session, scope: Scope, pair_id: int) -> PairView:
    pair = session.scalar(_visible(select(MatchPair), scope).where(MatchPair.id == pair_id))
    if pair is None:
        raise NotFound(N_("No such pair to review."))
    return _view(session, pair)


def _release_if_cleared(session: Session, household: Household) -> None:
    """A held household with no open pair left becomes what it would have been."""
    if household.status != HouseholdStatus.HELD:
        return
    still_open = session.scalar(
        select(func.count(MatchPair.id)).where(
            MatchPair.status == PairStatus.OPEN,
            or_(
                MatchPair.household_a_id == household.id,
                MatchPair.household_b_id == household.id,
            ),
        )
    )
    if still_open:
        return
    self_registered = household.source_channel in (Channel.USSD, Channel.SMS)
    household.status = (
        HouseholdStatus.PENDING_VERIFICATION if self_registered else HouseholdStatus.ACTIVE
    )


def _survivor_and_merged(view: PairView) -> tuple[Household, Household]:
    """The household registered first survives, unless it is the held one."""
    a, b = view.household_a, view.household_b
    if a.status == HouseholdStatus.HELD and b.status != HouseholdStatus.HELD:
        return b, a
    if b.status == HouseholdStatus.HELD and a.status != HouseholdStatus.HELD:
        return a, b
    return (a, b) if a.id < b.id else (b, a)


def decide(
    session: Session, scope: Scope, pair_id: int, decision: Decision, *, origin: Origin
) -> Merge | None:
    view = get_pair(session, scope, pair_id)
    pair = view.pair
    if pair.status != PairStatus.OPEN:
        raise Conflict(N_("Someone decided about this pair already."))
    pair.decided_by_id = origin.actor_id
    pair.decided_at = utcnow()
    merge = None
    if decision == Decision.SAME:
        if view.household_a.id == view.household_b.id:
            raise Conflict(N_("Both people are in one household; edit the household instead."))
        survivor, merged = _survivor_and_merged(view)
        pair.status = PairStatus.SAME
        merge = merge_households(session, survivor, merged, origin=origin, pair=pair)
    else:
        pair.status = PairStatus.DIFFERENT
    for household in (view.household_a, view.household_b):
        _release_if_cleared(session, household)
    session.flush()
    record(
        session,
        origin,
        "duplicate.decide",
        target_type="match_pair",
        target_id=pair.id,
        area_code=view.household_b.area.code,
        details={"decision": str(decision), "score": pair.score},
    )
    return merge


def decide_batch(
    session: Session, scope: Scope, decisions: list[tuple[int, str]], *, origin: Origin
) -> list[Merge | None]:
    """Applies every decision or none: the first refusal raises and the door rolls back."""
    if not decisions:
        raise InvalidInput(N_("Choose at least one pair."), field="decision")
    results = []
    for pair_id, raw in decisions:
        try:
            decision = Decision(raw)
        except ValueError as exc:
            raise InvalidInput(
                N_("Choose same person or different people."), field="decision"
            ) from exc
        results.append(decide(session, scope, pair_id, decision, origin=origin))
    return results


def undo(session: Session, scope: Scope, merge_id: int, *, origin: Origin) -> None:
    from registry.matching.merge import undo_merge

    merge = session.get(Merge, merge_id)
    if merge is None:
        raise NotFound(N_("No such merge."))
    survivor = session.scalar(
        in_scope(select(Household), scope, Household.area_id).where(
            Household.id == merge.survivor_id
        )
    )
    merged = session.scalar(
        in_scope(select(Household), scope, Household.area_id).where(Household.id == merge.merged_id)
    )
    if survivor is None or merged is None:
        raise NotFound(N_("No such merge."))
    undo_merge(session, merge, origin=origin)
