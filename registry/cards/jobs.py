"""Card batches as jobs: issuing and printing the cards of an area (or a selection)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.cards.faces import card_face
from registry.cards.keys import Keyring, KeysUnavailable, default_keys_dir
from registry.cards.models import Card
from registry.cards.pdf import write_sheets
from registry.cards.service import (
    active_card,
    active_cards_in_area,
    households_in_scope,
    households_without_card,
    issue_card,
)
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.scope import Scope
from registry.users.roles import Permission

ISSUE_CARDS = "cards.issue"
PRINT_CARDS = "cards.print"
MAX_SELECTION = 500


def _selection(numbers: list[str] | None) -> list[str]:
    return [str(n) for n in (numbers or [])][:MAX_SELECTION]


def _check_target(area: str | None, households: list[str] | None) -> None:
    if not area and not households:
        raise InvalidInput(N_("Choose an area or some households."), field="area")


def _cards_to_print(
    session: Session, scope: Scope, area: str | None, households: list[str] | None
) -> list[Card]:
    if area:
        return active_cards_in_area(session, area, scope)
    cards = []
    for household in households_in_scope(session, scope, _selection(households)):
        card = active_card(session, household, None)
        if card is not None:
            cards.append(card)
    return cards


@job(
    PRINT_CARDS,
    title=N_("Print cards"),
    permission=Permission.CARD_ISSUE,
    result_labels={"cards": N_("Cards"), "pages": N_("Pages")},
)
def print_cards_job(
    ctx: JobContext,
    *,
    area: str | None = None,
    households: list[str] | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    """A4 sheets of ten active cards with cut marks; prints nothing new, so a retry is safe."""
    _check_target(area, households)
    cards = _cards_to_print(ctx.session, ctx.scope, area, households)
    if not cards:
        raise Conflict(N_("None of the selected households has an active card."))
    total = len(cards)
    ctx.progress(0, total)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if done % 200 == 0:
            ctx.progress(done, total)

    name = f"kinga-cards-{area}.pdf" if area else "kinga-cards.pdf"
    with ctx.result_file(name).open("wb") as out:
        count = write_sheets(
            (card_face(c) for c in cards), out, progress=advance, workers=max(1, workers)
        )
    ctx.progress(count, total)
    return {"cards": count, "pages": -(-count // 10)}


@job(
    ISSUE_CARDS,
    title=N_("Issue cards"),
    permission=Permission.CARD_ISSUE,
    result_labels={"issued": N_("Cards issued"), "households": N_("Households")},
)
def issue_cards_job(
    ctx: JobContext, *, area: str | None = None, households: list[str] | None = None
) -> dict[str, Any]:
    """Gives a household card to each household without an active one; a retry skips those
    that got theirs before the worker died (the work is committed every 100 cards)."""
    _check_target(area, households)
    try:
        keyring = Keyring(default_keys_dir())
        keyring.check()
    except KeysUnavailable:
        raise Conflict(N_("The card signing keys cannot be read on the job worker.")) from None
    targets = (
        households_without_card(ctx.session, area, ctx.scope)
        if area
        else [
            h
            for h in households_in_scope(ctx.session, ctx.scope, _selection(households))
            if active_card(ctx.session, h, None) is None
        ]
    )
    total, issued = len(targets), 0
    ctx.progress(0, total)
    for index, household in enumerate(targets, start=1):
        if household.status == "active" and active_card(ctx.session, household, None) is None:
            issue_card(ctx.session, household, origin=ctx.origin, keyring=keyring)
            issued += 1
        if index % 100 == 0:
            ctx.progress(index, total)
    ctx.progress(total, total)
    return {"issued": issued, "households": total}
