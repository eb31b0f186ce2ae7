"""What an administrator does to accounts: list, create, disable, enable, reset a password,
change roles and areas. The web desk `/admin/users` and `kinga users ...` call only these.

Every act is audited. An administrator sees and manages the accounts whose areas all lie in
their own scope, and grants only areas of that scope: a regional administrator cannot take
over a national account, or give anyone a region they do not hold themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import N_
from registry.origin import Origin
from registry.scope import Scope
from registry.users.models import User
from registry.users.passwords import hash_password
from registry.users.service import (
    areas_by_code,
    check_roles,
    create_user,
    end_all_sessions,
    set_active,
)

# Twelve characters from an alphabet without look-alikes (no 0/O, 1/l/I): read out by phone.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


def _manages(scope: Scope, user: User) -> bool:
    return scope.everywhere or (bool(user.areas) and all(scope.covers(a) for a in user.areas))


def list_users(session: Session, scope: Scope) -> list[User]:
    users = session.scalars(select(User).order_by(User.username))
    return [user for user in users if _manages(scope, user)]


def get_user(
    session: Session, scope: Scope, *, user_id: int | None = None, username: str | None = None
) -> User:
    stmt = select(User)
    if user_id is not None:
        stmt = stmt.where(User.id == user_id)
    else:
        stmt = stmt.where(User.username == (username or "").strip().lower())
    user = session.scalar(stmt)
    if user is None or not _manages(scope, user):
        raise NotFound(N_("No such user."))
    return user


def _granted_areas(session: Session, scope: Scope, area_codes: Iterable[str]) -> list[str]:
    codes = sorted({code.strip() for code in area_codes if code.strip()})
    areas = areas_by_code(session, codes)
    if not all(scope.covers(area) for area in areas):
        raise InvalidInput(N_("Unknown area code."), field="areas")
    return codes


def create_account(
    session: Session,
    origin: Origin,
    scope: Scope,
    *,
    username: str,
    full_name: str,
    roles: set[str],
    area_codes: list[str],
    language: str = "en",
    password: str | None = None,
) -> tuple[User, str | None]:
    """Creates an account; without `password`, a one-time password is made and returned (to
    be shown once) and the user must choose their own at the first login."""
    codes = _granted_areas(session, scope, area_codes)
    given = password or one_time_password()
    user = create_user(
        session,
        origin,
        username=username,
        full_name=full_name,
        password=given,
        roles=roles,
        area_codes=codes,
        language=language,
        must_change_password=password is None,
    )
    return user, None if password else given


def _not_self(origin: Origin, user: User) -> None:
    if origin.actor_id is not None and origin.actor_id == user.id:
        raise Conflict(N_("You cannot do this to your own account."))


def disable_user(session: Session, origin: Origin, user: User) -> None:
    """Disables the account; every session of it ends at once."""
    _not_self(origin, user)
    if user.active:
        set_active(session, origin, user, False)
    session.flush()


def enable_user(session: Session, origin: Origin, user: User) -> None:
    if not user.active:
        set_active(session, origin, user, True)
    session.flush()


def reset_password(session: Session, origin: Origin, user: User) -> str:
    """Gives the account a one-time password (returned, to be shown once): its sessions end
    and the next login must choose a new password."""
    _not_self(origin, user)
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, "password_reset")
    session.flush()
    record(session, origin, "user.password_reset", target_type="user", target_id=user.id)
    return password


def set_roles_and_areas(
    session: Session,
    origin: Origin,
    scope: Scope,
    user: User,
    *,
    roles: set[str],
    area_codes: list[str],
) -> None:
    """New roles and areas; the user's open sessions carry the change at their next request."""
    check_roles(roles)
    codes = _granted_areas(session, scope, area_codes)
    before = {"roles": sorted(user.roles), "areas": sorted(a.code for a in user.areas)}
    after = {"roles": sorted(roles), "areas": codes}
    if before == after:
        return
    if origin.actor_id == user.id and "admin" in user.roles and "admin" not in roles:
        raise Conflict(N_("You cannot do this to your own account."))
    user.roles = roles
    user.areas = areas_by_code(session, codes)
    session.flush()
    record(
        session,
        origin,
        "user.roles",
        target_type="user",
        target_id=user.id,
        details={"before": before, "after": after},
    )
