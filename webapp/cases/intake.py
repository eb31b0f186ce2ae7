"""Opening a case: from the field (a household member), from a referral, from a grievance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from registry.cases import types
from registry.cases.intake import open_from_field, open_from_grievance, open_from_referral
from registry.errors import DomainError, Forbidden, NotFound
from registry.grievances.queries import Viewer
from registry.households.service import get_household
from registry.origin import Channel
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.inbox.views import error_message

bp = Blueprint("case_intake", __name__)


def _type_choices() -> list[tuple[str, str]]:
    language = current_language()
    return [(t.code, t.name_in(language)) for t in types.list_case_types(db())]


def _person_id() -> int | None:
    value = request.form.get("person", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _opened(case_number: str) -> Response:
    flash(_("Case %(number)s opened.", number=case_number), "success")
    if current_user.can(Permission.CASE_READ):
        return redirect(url_for("cases.show", number=case_number), code=303)
    return redirect(url_for("case_intake.opened", number=case_number), code=303)


@bp.route("/field/households/<number>/case", methods=["GET", "POST"])
@permission_required(Permission.CASE_OPEN)
def from_field(number: str) -> Any:
    """A field worker opens a case on a member of a household they can see."""
    session = db()
    try:
        household = get_household(session, current_scope(), number)
    except NotFound:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            case = open_from_field(
                session,
                current_scope(),
                number,
                _person_id(),
                request.form.get("case_type", "")[:40],
                request.form.get("reason", "")[:4000],
                origin=current_origin(Channel.FIELD),
            )
            session.commit()
            return _opened(case.number)
        except DomainError as exc:
            session.rollback()
            error = error_message(exc)
    return render_template(
        "cases/intake_field.html",
        household=household,
        types=_type_choices(),
        error=error,
        form=request.form,
    ), (422 if error else 200)


@bp.route("/cases/opened/<number>")
@permission_required(Permission.CASE_OPEN)
def opened(number: str) -> str:
    """What a field worker sees after intake: the number, not the case (they cannot read it)."""
    return render_template("cases/opened.html", number=number)


@bp.route("/cases/new", methods=["GET", "POST"])
@permission_required(Permission.CASE_OPEN)
def referral() -> Any:
    """A referral from another service: find the household by number, pick the member."""
    session = db()
    household, error = None, None
    number = request.form.get("household", "")[:20]
    if request.method == "POST" and number:
        try:
            household = get_household(session, current_scope(), number)
        except NotFound:
            error = _("No household with this number.")
        if household is not None and request.form.get("person"):
            try:
                case = open_from_referral(
                    session,
                    current_scope(),
                    number,
                    _person_id(),
                    request.form.get("case_type", "")[:40],
                    request.form.get("referred_by", "")[:200],
                    request.form.get("reason", "")[:4000],
                    origin=current_origin(),
                )
                session.commit()
                return _opened(case.number)
            except DomainError as exc:
                session.rollback()
                error = error_message(exc)
    return render_template(
        "cases/intake_referral.html",
        household=household,
        types=_type_choices(),
        error=error,
        form=request.form,
    ), (422 if error else 200)


@bp.post("/cases/from-grievance/<number>")
@permission_required(Permission.CASE_OPEN)
def from_grievance(number: str) -> Response:
    """One step: the grievance the officer is reading becomes a case, history kept."""
    session = db()
    who = Viewer.of(current_scope(), current_origin())
    try:
        case = open_from_grievance(
            session, who, number, request.form.get("case_type", "")[:40], origin=current_origin()
        )
        session.commit()
    except NotFound:
        session.rollback()
        abort(404)
    except Forbidden:
        session.rollback()
        abort(403)
    except DomainError as exc:
        session.rollback()
        flash(error_message(exc), "error")
        return redirect(url_for("inbox.show", number=number), code=303)
    return _opened(case.number)
