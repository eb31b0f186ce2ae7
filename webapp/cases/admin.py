"""Case types on an admin page (what each file says), and case figures without names."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template

from registry.cases import types
from registry.cases.caseload import case_figures
from registry.errors import NotFound
from registry.users.roles import Permission
from webapp.auth.access import current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("case_types", __name__, url_prefix="/cases/types")


@bp.route("/")
@permission_required(Permission.USER_MANAGE)
def index() -> str:
    return render_template(
        "cases/types.html", case_types=types.list_case_types(db(), all_versions=True)
    )


@bp.route("/<code>")
@permission_required(Permission.USER_MANAGE)
def show(code: str) -> str:
    try:
        versions = types.type_versions(db(), code[:40])
    except NotFound:
        abort(404)
    return render_template(
        "cases/type.html",
        versions=versions,
        t=versions[0],
        lang=current_language(),
        label=types.label,
    )


@bp.route("/figures")
@permission_required(Permission.DASHBOARD_VIEW)
def figures() -> str:
    """Counts only: managers see how many cases, never whose (child protection included)."""
    session = db()
    names = {t.code: t.name_in(current_language()) for t in types.list_case_types(session)}
    return render_template(
        "cases/figures.html",
        figures=case_figures(session, current_scope()),
        names=names,
        today=date.today(),
    )
