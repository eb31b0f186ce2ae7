"""Administrators edit grievance categories: names in every language, SLA, sensitivity."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.errors import DomainError, NotFound
from registry.grievances.categories import (
    CategoryInput,
    all_categories,
    get_category,
    save_category,
)
from registry.grievances.models import GrievanceCategory
from registry.grievances.states import Priority
from registry.settings import DEFAULT_LANGUAGES
from registry.users.roles import Permission
from webapp.auth.access import current_origin, permission_required
from webapp.database import db
from webapp.inbox.forms import as_int
from webapp.inbox.views import error_message

bp = Blueprint("inbox_categories", __name__, url_prefix="/inbox/categories")


@bp.route("/")
@permission_required(Permission.USER_MANAGE)
def index() -> str:
    return render_template("inbox/categories.html", categories=all_categories(db()))


def _input(code: str) -> CategoryInput:
    form = request.form
    return CategoryInput(
        code=code.strip().lower(),
        names={lang: form.get(f"name_{lang}", "") for lang in DEFAULT_LANGUAGES},
        sla_hours=as_int(form.get("sla_hours")) or 0,
        default_priority=form.get("default_priority", ""),
        sensitive=form.get("sensitive") == "1",
        team=form.get("team", ""),
        parent_code=form.get("parent") or None,
        position=as_int(form.get("position")) or 0,
        active=form.get("active") == "1",
    )


def _edit(category: GrievanceCategory | None) -> str | Response:
    session = db()
    error = None
    if request.method == "POST":
        code = category.code if category else request.form.get("code", "")
        try:
            save_category(session, _input(code), origin=current_origin(), create=category is None)
            session.commit()
            flash(_("Category saved."), "success")
            return redirect(url_for("inbox_categories.index"))
        except DomainError as exc:
            session.rollback()
            error = error_message(exc)
    parents = [c for c in all_categories(session) if c.parent_id is None and c is not category]
    return render_template(
        "inbox/category_form.html",
        category=category,
        parents=parents,
        priorities=list(Priority),
        language_codes=DEFAULT_LANGUAGES,
        form=request.form if request.method == "POST" else None,
        error=error,
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def new() -> str | Response:
    return _edit(None)


@bp.route("/<code>", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def edit(code: str) -> str | Response:
    try:
        category = get_category(db(), code)
    except NotFound:
        abort(404)
    return _edit(category)
