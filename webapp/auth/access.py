"""Who is logged in, what they may do, and the scope and origin passed to services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request, session
from flask_login import LoginManager, UserMixin, current_user

from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users.models import User
from registry.users.roles import Permission, can, permissions_of
from registry.users.service import origin_for, resolve_session, scope_of
from webapp.database import db

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"


class LoggedIn(UserMixin):
    """The flask-login user: a live server-side session token and the user behind it."""

    def __init__(self, user: User, token: str) -> None:
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return self.token

    @property
    def roles(self) -> frozenset[str]:
        return self.user.roles

    def can(self, permission: Permission) -> bool:
        return can(self.user.roles, permission)

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.user.roles)


@login_manager.user_loader
def _load(token: str) -> LoggedIn | None:
    user = resolve_session(db(), token)
    db().commit()
    if user is None:
        session.pop("lang", None)
        return None
    g.kinga_user = user
    return LoggedIn(user, token)


@login_manager.unauthorized_handler
def _unauthorized() -> Any:
    from flask import flash, redirect, url_for
    from flask_babel import gettext as _

    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        abort(401)
    flash(_("Please log in to continue."), "info")
    return redirect(url_for("auth.login"))


def permission_required(permission: Permission) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def current_scope() -> Scope:
    if not current_user.is_authenticated:
        return Scope(paths=())
    return scope_of(current_user.user)


def current_origin(channel: Channel = Channel.WEB) -> Origin:
    from dataclasses import replace

    from webapp.i18n import current_language

    ip = request.remote_addr
    request_id = g.get("request_id")
    if current_user.is_authenticated:
        origin = origin_for(current_user.user, channel, current_language(), ip)
        return replace(origin, request_id=request_id)
    return Origin(channel=channel, language=current_language(), ip=ip, request_id=request_id)
