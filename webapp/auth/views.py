from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from registry.audit.service import record
from registry.errors import InvalidInput
from registry.i18n import translate
from registry.users.passwords import verify_password
from registry.users.service import authenticate, end_session, note_login_outcome, open_session
from registry.users.service import change_password as change_own_password
from webapp.auth.access import LoggedIn, current_origin
from webapp.database import db
from webapp.i18n import current_language
from webapp.limits import config_limit, limited, login_username
from webapp.state import state

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """`target` when it is a local path this app could have built, else the home page.

    Browsers drop tabs and newlines and read a backslash as a slash, so `/\t/evil.example`
    would leave the site: any control character, backslash, scheme or host is refused."""
    if target and is_local_path(target):
        return target
    return url_for("home.index")


def is_local_path(target: str) -> bool:
    if len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@bp.route("/login", methods=["GET", "POST"])
@limited(config_limit("KINGA_LOGIN_LIMIT"), methods=["POST"])
@limited(config_limit("KINGA_LOGIN_USER_LIMIT"), key_func=login_username, methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if request.method == "POST":
        username = request.form.get("username", "")[:64]
        password = request.form.get("password", "")[:256]
        origin = current_origin()
        result = authenticate(db(), state().kv, origin, username, password)
        db().commit()
        note_login_outcome(state().kv, origin, username, result)
        if result.user is not None and result.token is not None:
            session.clear()
            login_user(LoggedIn(result.user, result.token))
            session["lang"] = result.user.language
            session.permanent = True
            if result.user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")))
        log.info("login refused from %s (throttled=%s)", request.remote_addr, result.throttled)
        if result.throttled:
            flash(_("Too many failed attempts. Try again in 15 minutes."), "error")
        else:
            flash(_("Wrong user name or password."), "error")
        return render_template("auth/login.html", username=username), 401
    return render_template("auth/login.html", username="")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """The user's own new password; required after an administrator's one-time password."""
    user = current_user.user
    if request.method == "POST":
        current = request.form.get("current_password", "")[:256]
        new = request.form.get("new_password", "")[:256]
        if request.form.get("confirm_password", "")[:256] != new:
            flash(_("The two new passwords differ."), "error")
        elif not verify_password(user.password_hash, current):
            flash(_("The current password is wrong."), "error")
        else:
            try:
                change_own_password(db(), current_origin(), user, new)
            except InvalidInput as exc:
                flash(translate(current_language(), exc.msgid, **exc.params), "error")
            else:
                token = open_session(db(), user)
                db().commit()
                login_user(LoggedIn(user, token))
                flash(_("Your new password is saved."), "info")
                return redirect(url_for("home.index"))
        return render_template("auth/password.html", forced=user.must_change_password), 400
    return render_template("auth/password.html", forced=user.must_change_password)


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


ALLOWED_BEFORE_NEW_PASSWORD = frozenset(
    {"auth.change_password", "auth.logout", "auth.set_language", "static", "health.healthz"}
)


@bp.before_app_request
def require_new_password() -> Response | None:
    """After an administrator's one-time password, nothing opens until the user chose theirs."""
    if request.endpoint in ALLOWED_BEFORE_NEW_PASSWORD or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.user.must_change_password:
        if request.path.startswith("/api/"):
            abort(403)
        return redirect(url_for("auth.change_password"))
    return None
