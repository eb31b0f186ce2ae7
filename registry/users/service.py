"""Users: creation, authentication with lockout, server-side sessions, scope."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users.models import User, UserSession
from registry.users.passwords import hash_password, needs_rehash, verify_password
from registry.users.roles import Role

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    origin: Origin,
    *,
    username: str,
    full_name: str,
    password: str,
    roles: set[str],
    area_codes: list[str],
    language: str = "en",
) -> User:
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise InvalidInput(N_("Choose a user name of 1 to 64 characters."), field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at least %(n)s characters."),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )
    unknown_roles = set(roles) - {r.value for r in Role}
    if unknown_roles or not roles:
        raise InvalidInput(
            N_("Unknown role: %(roles)s"), field="roles", roles=sorted(unknown_roles)
        )
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(N_("The user name %(username)s is taken."), username=username)
    areas = list(session.scalars(select(Area).where(Area.code.in_(area_codes))))
    if len(areas) != len(set(area_codes)):
        raise InvalidInput(N_("Unknown area code."), field="areas")
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        language=language,
        areas=areas,
    )
    user.roles = roles
    session.add(user)
    session.flush()
    record(
        session,
        origin,
        "user.create",
        target_type="user",
        target_id=user.id,
        details={"roles": sorted(roles), "areas": sorted(area_codes)},
    )
    return user


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    token: str | None
    locked: bool = False


def authenticate(session: Session, origin: Origin, username: str, password: str) -> LoginResult:
    """Checks a password; on success opens a server-side session and returns its token.

    Unknown user, wrong password and locked account look the same to the caller, except
    that `locked` lets the door say "try again later".
    """
    now = utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)
        record(session, origin, "login.refused_locked", target_type="user", target_id=user.id)
        return LoginResult(None, None, locked=True)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is None:
            verify_password(None, password)
        details = {"username_sha256": hashlib.sha256(username.encode()).hexdigest()[:16]}
        record(
            session,
            origin,
            "login.failed",
            target_type="user",
            target_id=user.id if user else None,
            details=details,
        )
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
        session.flush()
        return LoginResult(None, None)
    user.failed_logins = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id))
    session.flush()
    record(
        session,
        origin_for(user, origin.channel, origin.language, origin.ip),
        "login.success",
        target_type="user",
        target_id=user.id,
    )
    return LoginResult(user, token)


def resolve_session(session: Session, token: str) -> User | None:
    """The user behind a live session token, or None when ended, idle or too old."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    user = row.user
    reason = None
    if not user.active:
        reason = "disabled"
    elif now - row.last_seen_at > IDLE_TIMEOUT:
        reason = "idle"
    elif now - row.created_at > ABSOLUTE_TIMEOUT:
        reason = "expired"
    elif row.created_at < user.password_changed_at:
        reason = "password_changed"
    if reason:
        row.ended_at, row.end_reason = now, reason
        session.flush()
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
        session.flush()
    return user


def end_session(session: Session, token: str, reason: str = "logout") -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def end_all_sessions(session: Session, user: User, reason: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def set_active(session: Session, origin: Origin, user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_all_sessions(session, user, "disabled")
    record(
        session,
        origin,
        "user.enable" if active else "user.disable",
        target_type="user",
        target_id=user.id,
    )


def change_password(session: Session, origin: Origin, user: User, new_password: str) -> None:
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at least %(n)s characters."),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, "password_changed")
    record(session, origin, "user.password_change", target_type="user", target_id=user.id)


def scope_of(user: User) -> Scope:
    return Scope.of_areas(user.areas)


def origin_for(user: User, channel: Channel, language: str, ip: str | None = None) -> Origin:
    area_code = user.areas[0].code if len(user.areas) == 1 else None
    return Origin(
        channel=channel,
        language=language,
        actor_id=user.id,
        actor_name=user.username,
        area_code=area_code,
        roles=user.roles,
        ip=ip,
    )
