"""List, create and suspend partner clients. The secret appears once, on the page after creation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.errors import DomainError, NotFound
from registry.i18n import translate
from registry.partners.clients import create_client, get_client, list_clients, set_suspended
from registry.partners.fields import DEFAULT_FIELDS, FIELDS
from registry.partners.models import PartnerScope
from registry.scope import areas_in_scope
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("partners", __name__, url_prefix="/partners")


@bp.route("/")
@permission_required(Permission.USER_MANAGE)
def index() -> str:
    return render_template("partners/index.html", clients=list_clients(db()))


def _expiry(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), time(23, 59), tzinfo=UTC)
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)  # refused by the service as not in the future


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def new() -> str | Response:
    session = db()
    error = None
    if request.method == "POST":
        form = request.form
        try:
            client, secret = create_client(
                session,
                current_origin(),
                name=form.get("name", ""),
                scopes=form.getlist("scopes"),
                area_codes=form.getlist("areas"),
                fields=form.getlist("fields"),
                purpose=form.get("purpose", ""),
                expires_at=_expiry(form.get("expires", "")),
                public_key=form.get("public_key") or None,
                callback_url=form.get("callback_url") or None,
            )
            session.commit()
            page = make_response(
                render_template("partners/created.html", client=client, secret=secret)
            )
            page.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
            return page
        except DomainError as exc:
            session.rollback()
            error = translate(current_language(), exc.msgid, **exc.params)
    return render_template(
        "partners/new.html",
        scopes=[s.value for s in PartnerScope],
        fields=FIELDS,
        default_fields=DEFAULT_FIELDS,
        areas=areas_in_scope(session, current_scope(), level=1),
        form=request.form if request.method == "POST" else None,
        error=error,
    )


@bp.post("/<client_id>/suspend")
@permission_required(Permission.USER_MANAGE)
def suspend(client_id: str) -> Response:
    session = db()
    try:
        client = get_client(session, client_id)
    except NotFound:
        abort(404)
    set_suspended(session, current_origin(), client, request.form.get("resume") != "1")
    session.commit()
    flash(_("Partner updated."), "success")
    return redirect(url_for("partners.index"))
