from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from registry.audit.service import record
from registry.users.service import authenticate, end_session
from webapp.auth.access import LoggedIn, current_origin
from webapp.database import db
from webapp.limits import config_limit, limited, login_username
from webapp.state import state

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limited(config_limit("KINGA_LOGIN_LIMIT"), methods=["POST"])
@limited(config_limit("KINGA_LOGIN_USER_LIMIT"), key_func=login_username, methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if request.method == "POST":
        username = request.form.get("username", "")[:64]
        password = request.form.get("password", "")[:256]
        result = authenticate(db(), current_origin(), username, password)
        db().commit()
        if result.user is not None and result.token is not None:
            session.clear()
            login_user(LoggedIn(result.user, result.token))
            session["lang"] = result.user.language
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        log.info("login refused from %s (locked=%s)", request.remote_addr, result.locked)
        if result.locked:
            flash(_("Too many failed attempts. Try again in 15 minutes."), "error")
        else:
            flash(_("Wrong user name or password."), "error")
        return render_template("auth/login.html", username=username), 401
    return render_template("auth/login.html", username="")


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    end_session(db(), current_user.token)
    record(db(), current_origin(), "logout", target_type="user", target_id=current_user.user.id)
    db().commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    chosen = request.form.get("lang", "")
    if chosen in state().settings.languages:
        session["lang"] = chosen
    return redirect(_safe_next(request.form.get("next")))
