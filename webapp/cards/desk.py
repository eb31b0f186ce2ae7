"""The card desk: find households, issue, reissue, revoke, preview and print their cards."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.areas.models import Area, AreaLevel
from registry.cards.faces import card_face
from registry.cards.jobs import ISSUE_CARDS, PRINT_CARDS
from registry.cards.models import CardStatus, RevokeReason
from registry.cards.pdf import write_single
from registry.cards.png import card_png
from registry.cards.service import (
    active_card,
    card_in_scope,
    cards_of_household,
    issue_card,
    reissue_card,
    revoke_card,
)
from registry.errors import DomainError, NotFound
from registry.households.service import get_household, search_households
from registry.i18n import N_
from registry.scope import areas_in_scope
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.cards import keyring
from webapp.database import db
from webapp.jobs import start_job

bp = Blueprint("cards", __name__, url_prefix="/cards")

REASON_LABELS = {
    RevokeReason.LOST: N_("Lost"),
    RevokeReason.DAMAGED: N_("Damaged"),
    RevokeReason.STOLEN: N_("Stolen"),
    RevokeReason.ERROR: N_("Printed with an error"),
    RevokeReason.HOLDER_LEFT: N_("Holder left the program"),
}
STATUS_LABELS = {
    CardStatus.ACTIVE: N_("Active"),
    CardStatus.REVOKED: N_("Revoked"),
    CardStatus.EXPIRED: N_("Expired"),
}
MAX_SELECTION = 500  # households in one selection (an area has no such limit: it is a job)


@bp.errorhandler(NotFound)
def _not_found(_exc: NotFound) -> tuple[str, int]:
    title, message = _("Not found"), _("This page or record does not exist, or is not yours.")
    return render_template("errors/error.html", status=404, title=title, message=message), 404


def _fail(exc: DomainError) -> None:
    from registry.i18n import translate
    from webapp.i18n import current_language

    db().rollback()
    flash(translate(current_language(), exc.msgid, **exc.params), "error")


@bp.get("/")
@permission_required(Permission.CARD_ISSUE)
def index() -> str:
    query = request.args.get("q", "")
    households = search_households(db(), current_scope(), query, limit=50)
    rows = [(h, active_card(db(), h, None)) for h in households]
    areas = [a for a in areas_in_scope(db(), current_scope()) if a.level <= AreaLevel.DISTRICT]
    return render_template("cards/desk.html", rows=rows, query=query, areas=areas)


def _batch_target() -> dict[str, object] | None:
    """The area (checked against the user's areas) or the selected households of a batch."""
    area_code = request.form.get("area", "").strip()
    if area_code:
        area = db().scalar(select(Area).where(Area.code == area_code))
        if area is None or not current_scope().covers(area):
            abort(404)
        return {"area": area.code}
    numbers = request.form.getlist("household")[:MAX_SELECTION]
    return {"households": numbers} if numbers else None


@bp.post("/issue")
@permission_required(Permission.CARD_ISSUE)
def issue_selected() -> Response:
    """Issuing a batch (a selection or a whole area) is a job: its page shows the progress."""
    target = _batch_target()
    if target is None:
        flash(_("Select households first, or choose an area."), "error")
        return redirect(url_for("cards.index", q=request.form.get("q", "")))
    return start_job(ISSUE_CARDS, target)


@bp.post("/print")
@permission_required(Permission.CARD_ISSUE)
def print_selected() -> Response:
    """The PDF of a batch is made by a job and downloaded from the job's page."""
    target = _batch_target()
    if target is None:
        flash(_("Select households first, or choose an area."), "error")
        return redirect(url_for("cards.index", q=request.form.get("q", "")))
    return start_job(PRINT_CARDS, target)


@bp.get("/household/<number>")
@permission_required(Permission.CARD_ISSUE)
def household(number: str) -> str:
    found = get_household(db(), current_scope(), number)
    cards = cards_of_household(db(), found)
    return render_template(
        "cards/household.html",
        household=found,
        cards=cards,
        reasons=REASON_LABELS,
        status_labels=STATUS_LABELS,
        active=CardStatus.ACTIVE,
        members_with_card={c.person_id for c in cards if c.status == CardStatus.ACTIVE},
    )


@bp.post("/household/<number>/issue")
@permission_required(Permission.CARD_ISSUE)
def issue_one(number: str) -> Response:
    found = get_household(db(), current_scope(), number)
    person_id = request.form.get("person", type=int)
    person = next((m for m in found.members if m.id == person_id), None) if person_id else None
    if person_id and person is None:
        abort(404)
    try:
        card = issue_card(db(), found, person=person, origin=current_origin(), keyring=keyring())
        db().commit()
        flash(_("Card %(number)s issued.", number=card.number), "success")
    except DomainError as exc:
        _fail(exc)
    return redirect(url_for("cards.household", number=found.number))


@bp.post("/<number>/revoke")
@permission_required(Permission.CARD_ISSUE)
def revoke(number: str) -> Response:
    card = card_in_scope(db(), number, current_scope())
    reissue = request.form.get("reissue") == "1"
    reason = request.form.get("reason", "")
    try:
        if reissue:
            new = reissue_card(
                db(), card, reason=reason, origin=current_origin(), keyring=keyring()
            )
            flash(
                _(
                    "Card %(old)s revoked; new card %(new)s issued.",
                    old=card.number,
                    new=new.number,
                ),
                "success",
            )
        else:
            revoke_card(db(), card, reason=reason, origin=current_origin())
            flash(_("Card %(number)s revoked.", number=card.number), "success")
        db().commit()
    except DomainError as exc:
        _fail(exc)
    return redirect(url_for("cards.household", number=card.household.number))


@bp.get("/<number>.png")
@permission_required(Permission.CARD_ISSUE)
def png(number: str) -> Response:
    card = card_in_scope(db(), number, current_scope())
    return send_file(io.BytesIO(card_png(card_face(card))), mimetype="image/png")


@bp.get("/<number>.pdf")
@permission_required(Permission.CARD_ISSUE)
def pdf(number: str) -> Response:
    card = card_in_scope(db(), number, current_scope())
    buffer = io.BytesIO()
    write_single(card_face(card), buffer)
    buffer.seek(0)
    return send_file(
        buffer, mimetype="application/pdf", download_name=f"kinga-card-{card.number}.pdf"
    )
