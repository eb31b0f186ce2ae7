"""OAuth 2.0 client credentials for partner systems, with Authlib's Flask integration.

Tokens are random strings shown once to the partner and kept only as their SHA-256. Every use
of a token re-reads the agreement, so a suspension or an expiry takes effect at once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Flask, current_app
from flask import request as flask_request
from sqlalchemy import select

from registry.audit.service import record
from registry.db import utcnow
from registry.partners.clients import check_secret, is_usable, partner_origin
from registry.partners.models import PartnerClient, PartnerToken
from webapp.database import db

TOKEN_LIFETIME = 3600


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OAuthClient(ClientMixin):
    """The agreement as Authlib sees it: confidential, client_credentials only."""

    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def get_client_id(self) -> str:
        return self.client.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        granted = set(self.client.scopes)
        if not scope:
            return " ".join(sorted(granted))
        return " ".join(s for s in scope.split() if s in granted)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return check_secret(db(), self.client.client_id, client_secret) is not None

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class OAuthToken(TokenMixin):
    def __init__(self, row: PartnerToken) -> None:
        self.row = row

    def check_client(self, client: Any) -> bool:
        return bool(client.get_client_id() == self.row.client.client_id)

    def get_scope(self) -> str:
        return self.row.scope

    def get_expires_in(self) -> int:
        return self.row.expires_in

    def is_expired(self) -> bool:
        age = (utcnow() - self.row.issued_at).total_seconds()
        return age >= self.row.expires_in or not is_usable(self.row.client)

    def is_revoked(self) -> bool:
        return self.row.revoked

    @property
    def client(self) -> PartnerClient:
        return self.row.client


def request_ip() -> str | None:
    return flask_request.remote_addr


def _query_client(client_id: str) -> OAuthClient | None:
    found = db().scalar(select(PartnerClient).where(PartnerClient.client_id == client_id))
    if found is None or not is_usable(found):
        return None
    return OAuthClient(found)


def _save_token(token: dict[str, Any], request: Any) -> None:
    client: OAuthClient = request.client
    session = db()
    session.add(
        PartnerToken(
            client_id=client.client.id,
            token_hash=token_hash(token["access_token"]),
            scope=token.get("scope", ""),
            expires_in=int(token.get("expires_in", TOKEN_LIFETIME)),
        )
    )
    record(
        session,
        partner_origin(client.client, request_ip()),
        "partner.token",
        target_type="partner",
        target_id=client.client.client_id,
        details={"purpose": client.client.purpose, "scope": token.get("scope", "")},
    )
    session.commit()


class _Validator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        row = db().scalar(
            select(PartnerToken).where(PartnerToken.token_hash == token_hash(token_string))
        )
        return OAuthToken(row) if row is not None else None


class _ClientCredentials(grants.ClientCredentialsGrant):
    # DCI's token API sends client_id and client_secret in the form; HTTP Basic works too.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def init_oauth(app: Flask) -> None:
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": TOKEN_LIFETIME})
    server = AuthorizationServer(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(_ClientCredentials)
    protector = ResourceProtector()
    protector.register_token_validator(_Validator())
    app.extensions["kinga_oauth_server"] = server
    app.extensions["kinga_oauth_protector"] = protector


def server() -> AuthorizationServer:
    return current_app.extensions["kinga_oauth_server"]


def protector() -> ResourceProtector:
    return current_app.extensions["kinga_oauth_protector"]
