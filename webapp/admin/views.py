"""`/admin/users`: the web face of `registry.users.admin` (which checks, changes and audits)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.areas.models import AreaLevel
from registry.errors import DomainError
from registry.i18n import LANGUAGE_NAMES, translate
from registry.scope import areas_in_scope
from registry.users import admin
from registry.users.models import User
from registry.users.roles import ROLE_LABELS, Permission, Role
from webapp.auth import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.state import state

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _choices() -> dict[str, object]:
    areas = [a for a in areas_in_scope(db(), current_scope()) if a.level <= AreaLevel.DISTRICT]
    return {
        "roles": [(role.value, _(ROLE_LABELS[role])) for role in Role],
        "areas": areas,
        "user_languages": [
            (code, LANGUAGE_NAMES.get(code, code)) for code in state().settings.languages
        ],
    }


def _fail(exc: DomainError) -> None:
    flash(translate(current_language(), exc.msgid, **exc.params), "error")


def _user(user_id: int) -> User:
    return admin.get_user(db(), current_scope(), user_id=user_id)


def _form_roles() -> set[str]:
    return {value[:32] for value in request.form.getlist("roles")[:10]}


def _form_areas() -> list[str]:
    return [value[:32] for value in request.form.getlist("areas")[:50]]


def _one_time(user: User, password: str) -> str:
    """The one-time password, shown on this page only (the response is never cached)."""
    return render_template("admin/one_time.html", user=user, password=password)


@bp.get("/users")
@permission_required(Permission.USER_MANAGE)
def users() -> str:
    return render_template(
        "admin/users.html", users=admin.list_users(db(), current_scope()), **_choices()
    )


@bp.post("/users")
@permission_required(Permission.USER_MANAGE)
def create() -> str | Response:
    try:
        user, password = admin.create_account(
            db(),
            current_origin(),
            current_scope(),
            username=request.form.get("username", "")[:64],
            full_name=request.form.get("full_name", "")[:120],
            roles=_form_roles(),
            area_codes=_form_areas(),
            language=_language(),
        )
    except DomainError as exc:
        db().rollback()
        _fail(exc)
        page = render_template(
            "admin/users.html",
            users=admin.list_users(db(), current_scope()),
            form=request.form,
            **_choices(),
        )
        return Response(page, status=400)
    db().commit()
    assert password is not None
    return _one_time(user, password)


def _language() -> str:
    chosen = request.form.get("language", "")
    return chosen if chosen in state().settings.languages else state().settings.default_language


@bp.get("/users/<int:user_id>")
@permission_required(Permission.USER_MANAGE)
def show(user_id: int) -> str:
    return render_template("admin/user.html", user=_user(user_id), **_choices())


@bp.post("/users/<int:user_id>/roles")
@permission_required(Permission.USER_MANAGE)
def set_roles(user_id: int) -> Response:
    user = _user(user_id)
    try:
        admin.set_roles_and_areas(
            db(),
            current_origin(),
            current_scope(),
            user,
            roles=_form_roles(),
            area_codes=_form_areas(),
        )
    except DomainError as exc:
        db().rollback()
        _fail(exc)
    else:
        db().commit()
        flash(_("Roles and areas saved."), "info")
    return redirect(url_for("admin.show", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
@permission_required(Permission.USER_MANAGE)
def set_active(user_id: int) -> Response:
    user = _user(user_id)
    action = request.form.get("action")
    if action not in ("disable", "enable"):
        abort(400)
    try:
        if action == "disable":
            admin.disable_user(db(), current_origin(), user)
        else:
            admin.enable_user(db(), current_origin(), user)
    except DomainError as exc:
        db().rollback()
        _fail(exc)
    else:
        db().commit()
        if action == "disable":
            flash(_("The account is disabled; its sessions have ended."), "info")
        else:
            flash(_("The account is enabled again."), "info")
    return redirect(url_for("admin.show", user_id=user_id))


@bp.post("/users/<int:user_id>/password")
@permission_required(Permission.USER_MANAGE)
def reset_password(user_id: int) -> str | Response:
    user = _user(user_id)
    try:
        password = admin.reset_password(db(), current_origin(), user)
    except DomainError as exc:
        db().rollback()
        _fail(exc)
        return redirect(url_for("admin.show", user_id=user_id))
    db().commit()
    return _one_time(user, password)
