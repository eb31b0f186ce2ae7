"""Creating, listing, suspending and checking partner clients (agreements)."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import N_
from registry.origin import Channel, Origin
from registry.partners.fields import FIELDS
from registry.partners.models import PartnerClient, PartnerScope
from registry.scope import Scope
from registry.users.passwords import hash_password, verify_password


def _public_key(value: str | None) -> str | None:
    """Accepts a raw Ed25519 public key as base64url (a JWK "x") or standard base64."""
    if not value:
        return None
    text = value.strip()
    padded = text + "=" * (-len(text) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput(
            N_("The public key must be a 32-byte Ed25519 key in base64."), field="public_key"
        )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def create_client(
    session: Session,
    origin: Origin,
    *,
    name: str,
    scopes: Iterable[str],
    area_codes: Iterable[str],
    fields: Iterable[str],
    purpose: str,
    expires_at: datetime,
    public_key: str | None = None,
    callback_url: str | None = None,
) -> tuple[PartnerClient, str]:
    """Registers a partner system; returns it and its secret (shown once, stored hashed)."""
    name = name.strip()
    if not name:
        raise InvalidInput(N_("Give the partner a name."), field="name")
    if not purpose.strip():
        raise InvalidInput(N_("Say what the agreement is for."), field="purpose")
    scope_list = sorted(set(scopes))
    known = {s.value for s in PartnerScope}
    if not scope_list or not set(scope_list) <= known:
        raise InvalidInput(
            N_("Choose the scopes among: %(known)s."),
            field="scopes",
            known=", ".join(sorted(known)),
        )
    field_list = sorted(set(fields))
    if not set(field_list) <= set(FIELDS):
        raise InvalidInput(N_("Unknown field."), field="fields")
    codes = sorted(set(area_codes))
    areas = list(session.scalars(select(Area).where(Area.code.in_(codes))))
    if not codes or len(areas) != len(codes):
        raise InvalidInput(N_("Choose at least one known area."), field="areas")
    if expires_at <= utcnow():
        raise InvalidInput(N_("The expiry date must be in the future."), field="expires")
    if callback_url and not callback_url.startswith(("https://", "http://")):
        raise InvalidInput(
            N_("The callback address must start with https:// or http://."), field="callback_url"
        )
    if session.scalar(select(PartnerClient.id).where(PartnerClient.name == name)) is not None:
        raise Conflict(N_("A partner with this name exists already."))
    secret = secrets.token_urlsafe(32)
    client = PartnerClient(
        client_id="kp_" + secrets.token_hex(12),
        name=name,
        secret_hash=hash_password(secret),
        scopes=scope_list,
        fields=field_list,
        purpose=purpose.strip(),
        expires_at=expires_at,
        public_key=_public_key(public_key),
        callback_url=callback_url or None,
        created_by=origin.actor_name or "unknown",
        areas=areas,
    )
    session.add(client)
    session.flush()
    record(
        session,
        origin,
        "partner.create",
        target_type="partner",
        target_id=client.client_id,
        details={
            "name": name,
            "scopes": scope_list,
            "areas": codes,
            "fields": field_list,
            "purpose": client.purpose,
            "expires_at": expires_at.isoformat(),
        },
    )
    return client, secret


def get_client(session: Session, client_id: str) -> PartnerClient:
    client = session.scalar(select(PartnerClient).where(PartnerClient.client_id == client_id))
    if client is None:
        raise NotFound(N_("No such partner."))
    return client


def list_clients(session: Session) -> list[PartnerClient]:
    return list(session.scalars(select(PartnerClient).order_by(PartnerClient.name)))


def set_suspended(session: Session, origin: Origin, client: PartnerClient, suspended: bool) -> None:
    """Suspension takes effect at once: tokens are checked against it on every call."""
    client.suspended = suspended
    client.suspended_at = utcnow() if suspended else None
    record(
        session,
        origin,
        "partner.suspend" if suspended else "partner.resume",
        target_type="partner",
        target_id=client.client_id,
    )
    session.flush()


def is_usable(client: PartnerClient) -> bool:
    return not client.suspended and client.expires_at > utcnow()


def check_secret(session: Session, client_id: str, secret: str) -> PartnerClient | None:
    """The client if the secret matches and the agreement is in force; None otherwise."""
    client = session.scalar(select(PartnerClient).where(PartnerClient.client_id == client_id))
    valid = verify_password(client.secret_hash if client else None, secret)
    if client is None or not valid or not is_usable(client):
        return None
    return client


def client_scope(client: PartnerClient) -> Scope:
    return Scope.of_areas(client.areas)


def partner_origin(client: PartnerClient, ip: str | None = None) -> Origin:
    return Origin(channel=Channel.API, actor_name=f"partner:{client.client_id}", ip=ip)
