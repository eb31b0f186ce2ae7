"""Merging a household registered twice into the one registered first, and undoing it.

Survivorship rules: the household registered first survives and keeps its own values; a value
it lacks (address; a member's phone, national ID, exact birth date) is taken from the other.
Members of the other household who are not one of the survivor's members move over. Every
enrollment (unless the survivor is already in that program), card and grievance moves too.
The merged household stays, marked merged with a pointer to the survivor, and everything
moved is written down so that the merge can be undone exactly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cards.models import Card
from registry.db import utcnow
from registry.errors import Conflict
from registry.grievances.models import Grievance
from registry.households.models import Household, HouseholdStatus, Person, Relation
from registry.i18n import N_
from registry.matching.models import MatchPair, Merge, PairStatus
from registry.matching.normalize import fold
from registry.origin import Origin
from registry.programs.models import Enrollment

FILLED_FIELDS = ("phone", "national_id", "birth_date")


def _same_member(a: Person, b: Person) -> bool:
    return (
        fold(a.given_name) == fold(b.given_name)
        and fold(a.family_name) == fold(b.family_name)
        and abs(a.birth_year - b.birth_year) <= 1
    ) or (
        a.given_key == b.given_key
        and a.family_key == b.family_key
        and a.sex == b.sex
        and abs(a.birth_year - b.birth_year) <= 1
    )


def _pairs_of_members(
    survivor: Household, merged: Household, pair: MatchPair | None
) -> dict[int, Person]:
    """Merged member id -> the survivor member they are (the reviewed pair first)."""
    same: dict[int, Person] = {}
    if pair is not None:
        by_id = {p.id: p for p in survivor.members + merged.members}
        a, b = by_id.get(pair.person_a_id), by_id.get(pair.person_b_id)
        if a is not None and b is not None:
            kept, gone = (a, b) if a.household_id == survivor.id else (b, a)
            same[gone.id] = kept
    taken = {p.id for p in same.values()}
    for person in merged.members:
        if person.id in same:
            continue
        match = next(
            (s for s in survivor.members if s.id not in taken and _same_member(s, person)), None
        )
        if match is not None:
            same[person.id] = match
            taken.add(match.id)
    return same


def merge_households(
    session: Session,
    survivor: Household,
    merged: Household,
    *,
    origin: Origin,
    pair: MatchPair | None = None,
) -> Merge:
    if survivor.id == merged.id or merged.status == HouseholdStatus.MERGED:
        raise Conflict(N_("These households were merged already."))
    moved: dict[str, Any] = {"persons": [], "filled": [], "enrollments": [], "cards": []}
    moved["grievances"] = []
    if not survivor.address and merged.address:
        moved["address"] = True
        survivor.address = merged.address
    same = _pairs_of_members(survivor, merged, pair)
    for person in list(merged.members):
        kept = same.get(person.id)
        if kept is None:
            moved["persons"].append({"id": person.id, "relation": person.relation})
            if person.relation == Relation.HEAD:
                person.relation = Relation.OTHER_RELATIVE
            person.position = len(survivor.members)
            merged.members.remove(person)
            survivor.members.append(person)
            continue
        for name in FILLED_FIELDS:
            if getattr(kept, name) in (None, "") and getattr(person, name) not in (None, ""):
                setattr(kept, name, getattr(person, name))
                moved["filled"].append({"id": kept.id, "field": name})
        for grievance in session.scalars(select(Grievance).where(Grievance.person_id == person.id)):
            grievance.person_id = kept.id
            moved["grievances"].append({"id": grievance.id, "person": person.id})
        for card in session.scalars(select(Card).where(Card.person_id == person.id)):
            card.person_id = kept.id
            moved["cards"].append({"id": card.id, "person": person.id})
    programs = set(
        session.scalars(select(Enrollment.program_id).where(Enrollment.household_id == survivor.id))
    )
    for enrollment in session.scalars(
        select(Enrollment).where(Enrollment.household_id == merged.id)
    ):
        if enrollment.program_id not in programs:
            enrollment.household_id = survivor.id
            moved["enrollments"].append(enrollment.id)
    for card in session.scalars(select(Card).where(Card.household_id == merged.id)):
        card.household_id = survivor.id
        moved.setdefault("household_cards", []).append(card.id)
    merge = Merge(
        survivor_id=survivor.id,
        merged_id=merged.id,
        pair_id=pair.id if pair is not None else None,
        moved=moved,
        previous_status=merged.status,
        merged_by_id=origin.actor_id,
    )
    merged.status = HouseholdStatus.MERGED
    merged.merged_into_id = survivor.id
    session.add(merge)
    session.flush()
    record(
        session,
        origin,
        "household.merge",
        target_type="household",
        target_id=merged.number,
        area_code=merged.area.code,
        details={
            "into": survivor.number,
            "merge": merge.id,
            "persons_moved": len(moved["persons"]),
            "enrollments_moved": len(moved["enrollments"]),
        },
    )
    return merge


def undo_merge(session: Session, merge: Merge, *, origin: Origin) -> None:
    """Puts everything back where the merge found it; the pair goes back to the queue."""
    if merge.undone_at is not None:
        raise Conflict(N_("This merge was undone already."))
    survivor = session.get_one(Household, merge.survivor_id)
    merged = session.get_one(Household, merge.merged_id)
    moved = merge.moved
    for item in moved.get("persons", []):
        person = session.get_one(Person, item["id"])
        survivor.members.remove(person)
        person.relation = item["relation"]
        person.position = len(merged.members)
        merged.members.append(person)
    for item in moved.get("filled", []):
        setattr(session.get_one(Person, item["id"]), item["field"], None)
    for item in moved.get("grievances", []):
        session.get_one(Grievance, item["id"]).person_id = item["person"]
    for item in moved.get("cards", []):
        session.get_one(Card, item["id"]).person_id = item["person"]
    if moved.get("enrollments"):
        session.execute(
            update(Enrollment)
            .where(Enrollment.id.in_(moved["enrollments"]))
            .values(household_id=merged.id)
        )
    for card_id in moved.get("household_cards", []):
        session.get_one(Card, card_id).household_id = merged.id
    if moved.get("address"):
        survivor.address = None
    merged.status = merge.previous_status
    merged.merged_into_id = None
    merge.undone_at = utcnow()
    if merge.pair_id is not None:
        pair = session.get_one(MatchPair, merge.pair_id)
        pair.status = PairStatus.OPEN
        pair.decided_by_id = None
        pair.decided_at = None
    session.flush()
    record(
        session,
        origin,
        "household.merge_undone",
        target_type="household",
        target_id=merged.number,
        area_code=merged.area.code,
        details={"from": survivor.number, "merge": merge.id},
    )
