"""Distribution points and cycles: roster (offline on the phone), sync, stock, reports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.distribution.models import DistributionPoint
from registry.distribution.service import (
    create_point,
    double_collections,
    get_point,
    points_in_scope,
    record_stock,
    roster,
    stock_report,
    sync_handovers,
)
from registry.errors import DomainError, NotFound
from registry.i18n import translate
from registry.payments.cycles import get_cycle, list_cycles
from registry.payments.models import CycleStatus, PaymentCycle
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("distribution", __name__, url_prefix="/distribution", template_folder="templates")


def _pair(cycle_id: int, point_id: int) -> tuple[PaymentCycle, DistributionPoint]:
    try:
        return get_cycle(db(), cycle_id, current_scope()), get_point(
            db(), point_id, current_scope()
        )
    except NotFound:
        abort(404)


def _refuse(exc: DomainError) -> None:
    db().rollback()
    flash(translate(current_language(), exc.msgid, **exc.params), "error")


@bp.route("/")
@permission_required(Permission.DISTRIBUTION_RECORD)
def index() -> str:
    cycles = [
        c
        for c in list_cycles(db(), current_scope())
        if c.status == CycleStatus.APPROVED and c.program.kind != "cash"
    ]
    areas = list(db().scalars(select(Area).where(Area.level >= 1).order_by(Area.path)))
    return render_template(
        "distribution/index.html",
        cycles=cycles,
        points=points_in_scope(db(), current_scope()),
        areas=[a for a in areas if current_scope().covers(a)],
        can_manage=current_user.can(Permission.PAYMENT_PREPARE),
        payment_view=Permission.PAYMENT_VIEW,
    )


@bp.post("/points")
@permission_required(Permission.PAYMENT_PREPARE)
def new_point() -> Response:
    area = db().scalar(select(Area).where(Area.code == request.form.get("area", "")))
    if area is None or not current_scope().covers(area):
        abort(404)
    try:
        create_point(
            db(),
            request.form.get("code", ""),
            request.form.get("name", ""),
            area,
            scope=current_scope(),
            origin=current_origin(),
        )
    except DomainError as exc:
        _refuse(exc)
    else:
        db().commit()
    return redirect(url_for("distribution.index"))


@bp.route("/cycles/<int:cycle_id>/points/<int:point_id>")
@permission_required(Permission.PAYMENT_VIEW)
def point(cycle_id: int, point_id: int) -> str:
    cycle, found = _pair(cycle_id, point_id)
    return render_template(
        "distribution/point.html",
        cycle=cycle,
        point=found,
        stock=stock_report(db(), cycle, found),
        doubles=[
            d
            for d in double_collections(db(), cycle, current_scope())
            if any(h.point_id == found.id for h in d.hand_overs)
        ],
        can_manage=current_user.can(Permission.PAYMENT_PREPARE),
    )


@bp.post("/cycles/<int:cycle_id>/points/<int:point_id>/stock")
@permission_required(Permission.PAYMENT_PREPARE)
def stock(cycle_id: int, point_id: int) -> Response:
    cycle, found = _pair(cycle_id, point_id)
    form = request.form
    try:
        record_stock(
            db(),
            found,
            cycle,
            kind=form.get("kind", ""),
            item=form.get("item", ""),
            unit=form.get("unit", ""),
            quantity=form.get("quantity", ""),
            note=form.get("note"),
            origin=current_origin(),
        )
    except DomainError as exc:
        _refuse(exc)
    else:
        db().commit()
        flash(_("Stock recorded."), "success")
    return redirect(url_for("distribution.point", cycle_id=cycle_id, point_id=point_id))


@bp.route("/cycles/<int:cycle_id>/doubles")
@permission_required(Permission.PAYMENT_VIEW)
def doubles(cycle_id: int) -> str:
    try:
        cycle = get_cycle(db(), cycle_id, current_scope())
    except NotFound:
        abort(404)
    return render_template(
        "distribution/doubles.html",
        cycle=cycle,
        doubles=double_collections(db(), cycle, current_scope()),
    )


@bp.route("/cycles/<int:cycle_id>/points/<int:point_id>/roster")
@permission_required(Permission.DISTRIBUTION_RECORD)
def roster_page(cycle_id: int, point_id: int) -> str:
    cycle, found = _pair(cycle_id, point_id)
    try:
        rows = roster(db(), cycle, found, current_scope(), current_language())
    except DomainError:
        abort(404)
    return render_template(
        "distribution/roster.html",
        cycle=cycle,
        point=found,
        data={"cycle": cycle.id, "point": found.id, "rows": rows},
    )


@bp.post("/cycles/<int:cycle_id>/points/<int:point_id>/sync")
@permission_required(Permission.DISTRIBUTION_RECORD)
def sync(cycle_id: int, point_id: int) -> Response:
    _cycle, found = _pair(cycle_id, point_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        abort(400)
    db().commit()  # a fresh transaction whose first statement is the write lock (SQLite)
    result = sync_handovers(
        db(),
        found,
        [r for r in body["records"] if isinstance(r, dict)],
        device=str(body.get("device") or "unknown"),
        scope=current_scope(),
        origin=current_origin(),
    )
    db().commit()
    language = current_language()
    return jsonify(
        accepted=result.accepted,
        known=result.known,
        doubles=result.doubles,
        refused={k: translate(language, v) for k, v in result.refused.items()},
    )


@bp.get("/csrf")
@permission_required(Permission.DISTRIBUTION_RECORD)
def fresh_csrf() -> Response:
    from flask_wtf.csrf import generate_csrf

    return jsonify(csrf_token=generate_csrf())


@bp.get("/distribution-sw.js")
def service_worker() -> Response:
    shell = [
        url_for("static", filename=name)
        for name in (
            "js/distribution/roster.js",
            "js/cards/verifier.js",
            "js/cards/camera.js",
            "js/cards/vendor/noble-ed25519.js",
            "js/cards/vendor/jsQR.js",
            "css/app.css",
            "css/distribution.css",
            "icons.svg",
        )
    ]
    script = render_template("distribution/distribution-sw.js", shell=shell)
    response = make_response(script)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("distribution.index")
    return response
