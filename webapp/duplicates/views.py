from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.areas.models import Area, AreaLevel
from registry.errors import DomainError, NotFound
from registry.i18n import N_, translate
from registry.matching.jobs import DEDUP_RUN
from registry.matching.models import Merge, PairStatus
from registry.matching.review import (
    PairView,
    count_open_pairs,
    decide_batch,
    get_pair,
    open_pairs,
    undo,
)
from registry.matching.views import FIELD_LABELS
from registry.privacy.masking import display_birth, display_national_id, display_phone
from registry.scope import areas_in_scope
from registry.users.roles import Permission, permissions_of
from webapp.auth import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.jobs.starting import start_job

bp = Blueprint("duplicates", __name__, url_prefix="/duplicates")

ORIGIN_LABELS = {
    "field": N_("field worker saw it"),
    "self_registration": N_("USSD or SMS registration, held"),
    "offline": N_("offline registration, held"),
    "run": N_("registry-wide run"),
    "import": N_("import"),
}


@dataclass(frozen=True)
class Row:
    label: str
    a: str
    b: str
    agree: bool | None  # None: not compared (a value is missing)


def _rows(view: PairView) -> list[Row]:
    from flask_login import current_user

    granted = permissions_of(set(current_user.roles))
    levels = view.pair.levels or {}

    def state(name: str) -> bool | None:
        return None if name not in levels else levels[name] > 0

    a, b = view.person_a, view.person_b
    return [
        Row(_("Household"), view.household_a.number, view.household_b.number, None),
        Row(_(FIELD_LABELS["given_name"]), a.given_name, b.given_name, state("given_name")),
        Row(_(FIELD_LABELS["family_name"]), a.family_name, b.family_name, state("family_name")),
        Row(_(FIELD_LABELS["sex"]), a.sex, b.sex, state("sex")),
        Row(
            _(FIELD_LABELS["birth"]),
            display_birth(a, granted),
            display_birth(b, granted),
            state("birth"),
        ),
        Row(
            _(FIELD_LABELS["phone"]),
            display_phone(a.phone, granted),
            display_phone(b.phone, granted),
            state("phone"),
        ),
        Row(
            _(FIELD_LABELS["national_id"]),
            display_national_id(a.national_id, granted),
            display_national_id(b.national_id, granted),
            state("national_id"),
        ),
        Row(
            _(FIELD_LABELS["area"]),
            view.household_a.area.name_in(current_language()),
            view.household_b.area.name_in(current_language()),
            state("area"),
        ),
        Row(
            _("Members"),
            str(len(view.household_a.members)),
            str(len(view.household_b.members)),
            None,
        ),
    ]


def _run_areas() -> list[Area]:
    return [a for a in areas_in_scope(db(), current_scope()) if a.level <= AreaLevel.DISTRICT]


@bp.route("/")
@permission_required(Permission.DUPLICATE_REVIEW)
def index(error: str | None = None) -> str:
    scope = current_scope()
    return render_template(
        "duplicates/index.html",
        pairs=open_pairs(db(), scope, limit=50),
        total=count_open_pairs(db(), scope),
        origins=ORIGIN_LABELS,
        areas=_run_areas(),
        everywhere=scope.everywhere,
        error=error,
        language=current_language(),
    )


@bp.route("/run", methods=["POST"])
@permission_required(Permission.DUPLICATE_REVIEW)
def run() -> str | Response | tuple[str, int]:
    """Starts the registry-wide search of an area as a job and shows its progress page."""
    code = request.form.get("area", "")[:32]
    allowed = {a.code for a in _run_areas()}
    if code not in allowed and not (code == "" and current_scope().everywhere):
        return index(error=_("Choose an area you cover.")), 400
    return start_job(DEDUP_RUN, {"area": code or None})


@bp.route("/<int:pair_id>")
@permission_required(Permission.DUPLICATE_REVIEW)
def pair(pair_id: int) -> str:
    view = get_pair(db(), current_scope(), pair_id)
    merge = None
    if view.pair.status == PairStatus.SAME:
        merge = db().query(Merge).filter_by(pair_id=view.pair.id, undone_at=None).first()
    return render_template(
        "duplicates/pair.html",
        view=view,
        rows=_rows(view),
        merge=merge,
        origins=ORIGIN_LABELS,
    )


@bp.route("/decide", methods=["POST"])
@permission_required(Permission.DUPLICATE_REVIEW)
def decide() -> Response:
    """Every decision of the form, all or nothing."""
    decisions = []
    for key, value in request.form.items():
        if key.startswith("decision-") and value in ("same", "different"):
            number = key.removeprefix("decision-")
            if number.isdigit() and len(number) < 12:
                decisions.append((int(number), value))
    try:
        merges = decide_batch(db(), current_scope(), decisions, origin=current_origin())
    except NotFound:
        db().rollback()
        raise  # outside the scope or absent: a 404, like any object not there
    except DomainError as refused:
        db().rollback()
        flash(translate(current_language(), refused.msgid, **refused.params), "error")
        return redirect(url_for(".index"), code=303)
    db().commit()
    merged = sum(1 for m in merges if m is not None)
    flash(
        _(
            "%(n)s decision(s) saved: %(merged)s merged, %(kept)s kept apart.",
            n=len(decisions),
            merged=merged,
            kept=len(decisions) - merged,
        ),
        "success",
    )
    if len(decisions) == 1 and request.form.get("back") == "pair":
        return redirect(url_for(".pair", pair_id=decisions[0][0]), code=303)
    return redirect(url_for(".index"), code=303)


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
@permission_required(Permission.DUPLICATE_REVIEW)
def undo_merge(merge_id: int) -> Response:
    merge = db().get(Merge, merge_id)
    try:
        undo(db(), current_scope(), merge_id, origin=current_origin())
    except NotFound:
        db().rollback()
        raise  # outside the scope or absent: a 404, like any object not there
    except DomainError as refused:
        db().rollback()
        flash(translate(current_language(), refused.msgid, **refused.params), "error")
        return redirect(url_for(".index"), code=303)
    db().commit()
    flash(_("The merge was undone; the pair is back in the queue."), "success")
    if merge is not None and merge.pair_id is not None:
        return redirect(url_for(".pair", pair_id=merge.pair_id), code=303)
    return redirect(url_for(".index"), code=303)
