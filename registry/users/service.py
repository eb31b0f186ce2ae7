"""Users: creation, authentication with lockout, server-side sessions, scope."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry import counters
from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.kvstore import KeyValueStore
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users import throttle
from registry.users.models import User, UserSession
from registry.users.passwords import hash_password, needs_rehash, verify_password
from registry.users.roles import Role

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10


USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH or len(password) > 256:
        raise InvalidInput(
            N_("The password must have at least %(n)s characters."),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )


def check_roles(roles: set[str]) -> None:
    unknown_roles = set(roles) - {r.value for r in Role}
    if unknown_roles or not roles:
        raise InvalidInput(
            N_("Unknown role: %(roles)s"), field="roles", roles=sorted(unknown_roles)
        )


def areas_by_code(session: Session, area_codes: list[str]) -> list[Area]:
    areas = list(session.scalars(select(Area).where(Area.code.in_(area_codes))))
    if not area_codes or len(areas) != len(set(area_codes)):
        raise InvalidInput(N_("Unknown area code."), field="areas")
    return areas


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
    must_change_password: bool = False,
) -> User:
    username = username.strip().lower()
    if not username or len(username) > 64 or not USERNAME.fullmatch(username):
        raise InvalidInput(N_("Choose a user name of 1 to 64 characters."), field="username")
    check_password(password)
    check_roles(roles)
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(N_("The user name %(username)s is taken."), username=username)
    areas = areas_by_code(session, area_codes)
    if not full_name.strip() or len(full_name) > 120:
        raise InvalidInput(N_("Enter a full name of 1 to 120 characters."), field="full_name")
    user = User(
        username=username,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        language=language,
        areas=areas,
        must_change_password=must_change_password,
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
    throttled: bool = False
    unknown_name: bool = False


def authenticate(
    session: Session, kv: KeyValueStore, origin: Origin, username: str, password: str
) -> LoginResult:
    """Checks a password; on success opens a server-side session and returns its token.

    Unknown user, disabled user and wrong password look the same to the caller. After
    `throttle.MAX_FAILURES` failures from one address for one name, that address waits
    (`throttled`), whether the name exists or not; other addresses are not affected.
    Failures for a real account are audited; attempts on unknown names are only counted
    (nobody without a login may grow the audit chain).

    Only reads the key-value store: the door commits, then calls `note_login_outcome` (on
    SQLite the store is another connection, which must not write while this one holds a
    transaction).
    """
    name = username.strip().lower()
    if throttle.is_throttled(kv, origin.ip, name):
        verify_password(None, password)  # the same time as a real check
        return LoginResult(None, None, throttled=True)
    user = session.scalar(select(User).where(User.username == name))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is None:
            verify_password(None, password)
        else:
            details = {"username_sha256": hashlib.sha256(name.encode()).hexdigest()[:16]}
            record(
                session,
                origin,
                "login.failed",
                target_type="user",
                target_id=user.id,
                details=details,
            )
        session.flush()
        return LoginResult(None, None, unknown_name=user is None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = open_session(session, user)
    record(
        session,
        origin_for(user, origin.channel, origin.language, origin.ip),
        "login.success",
        target_type="user",
        target_id=user.id,
    )
    return LoginResult(user, token)


def note_login_outcome(
    kv: KeyValueStore, origin: Origin, username: str, result: LoginResult
) -> None:
    """After the door committed `authenticate`'s work: a failure counts against the address
    (and an unknown name is counted, not audited); a success clears the address's count."""
    name = username.strip().lower()
    if result.throttled:
        counters.bump(kv, "login.throttled")
    elif result.user is not None:
        throttle.clear(kv, origin.ip, name)
    else:
        throttle.note_failure(kv, origin.ip, name)
        if result.unknown_name:
            counters.bump(kv, "login.failed_unknown")


def open_session(session: Session, user: User) -> str:
    """A new server-side session for `user`; returns its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id))
    session.flush()
    return token


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
        _note_seen(session, row, now)
    return user


def _note_seen(session: Session, row: UserSession, now: datetime) -> None:
    """Moves the idle clock on. On SQLite a long job may hold the write lock: then the clock
    moves at a later request, and this page is still served (the session stays valid)."""
    try:
        with session.begin_nested():
            row.last_seen_at = now
    except OperationalError as exc:
        if "database is locked" not in str(exc.orig):
            raise


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
    """The user's own new password: every session ends (the door opens a new one), and a
    password set by an administrator no longer has to be changed."""
    check_password(new_password)
    if verify_password(user.password_hash, new_password):
        raise InvalidInput(
            N_("Choose a password different from the one you were given."), field="password"
        )
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
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
