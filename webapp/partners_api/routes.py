"""The DCI Social Registry routes under /api/v1/dci: parse, call registry.partners, render.

A partner sets its DCI base URL to `<Kinga>/api/v1/dci`; every path below follows the standard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from registry.audit.service import record
from registry.partners import subscriptions, txnstatus
from registry.partners.clients import partner_origin
from registry.partners.envelope import EnvelopeError, ack, open_envelope, seal
from registry.partners.models import PartnerClient
from registry.partners.search import run_search, start_transaction
from registry.partners.signing import api_keyring
from webapp.database import db
from webapp.partners_api.oauth import protector, server

bp = Blueprint("dci", __name__, url_prefix="/api/v1/dci")


def _partner(scope: str) -> PartnerClient:
    """The client behind the bearer token, which must carry `scope` (else 401/403 is raised)."""
    try:
        token = protector().acquire_token([scope])
    except OAuth2Error as error:
        protector().raise_error_response(error)
    return token.client


def _refuse(client: PartnerClient, action: str, error: EnvelopeError) -> Response:
    session = db()
    session.rollback()
    record(
        session,
        partner_origin(client, request.remote_addr),
        "partner.refused",
        target_type="partner",
        target_id=client.client_id,
        details={"purpose": client.purpose, "action": action, "code": error.code},
    )
    session.commit()
    code = error.code if error.code.startswith("err.") else "err.request.bad"
    response = jsonify(ack("", status="ERR", error=(code, str(error))))
    response.status_code = 401 if code.startswith("err.signature") else 400
    return response


def _handle(
    scope: str, action: str, body: Callable[[PartnerClient, Any], dict[str, Any]]
) -> Response:
    client = _partner(scope)
    try:
        incoming = open_envelope(request.get_json(silent=True), client, action)
        answer = body(client, incoming)
    except EnvelopeError as error:
        return _refuse(client, action, error)
    db().commit()
    return jsonify(answer)


@bp.post("/oauth2/client/token")
def token() -> Response:
    return server().create_token_response()


@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    ring = api_keyring()
    ring.ensure_signing_key()
    response = jsonify(ring.jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _sync_search(client: PartnerClient, incoming: Any) -> dict[str, Any]:
    session = db()
    transaction = start_transaction(session, client, incoming, "search", "search_request")
    message = run_search(session, client, transaction, incoming.message)
    answers = message["search_response"]
    done = sum(a["status"] == "succ" for a in answers)
    return seal(
        "on-search",
        message,
        receiver_id=client.client_id,
        status="succ" if done else "rjct",
        total=len(answers),
        completed=len(answers),
    )


@bp.post("/registry/sync/search")
def sync_search() -> Response:
    return _handle("search", "search", _sync_search)


def _async_search(client: PartnerClient, incoming: Any) -> dict[str, Any]:
    session = db()
    transaction = start_transaction(session, client, incoming, "search", "search_request")
    subscriptions.queue_async_search(session, client, transaction, incoming.message)
    return ack(transaction.correlation_id)


@bp.post("/registry/search")
def search() -> Response:
    return _handle("search", "search", _async_search)


def _subscribe(client: PartnerClient, incoming: Any) -> dict[str, Any]:
    session = db()
    transaction = start_transaction(session, client, incoming, "subscribe", "subscribe_request")
    message = subscriptions.subscribe(session, client, transaction, incoming.message)
    return seal("on-subscribe", message, receiver_id=client.client_id)


@bp.post("/registry/subscribe")
def subscribe() -> Response:
    return _handle("subscribe", "subscribe", _subscribe)


def _unsubscribe(client: PartnerClient, incoming: Any) -> dict[str, Any]:
    message = subscriptions.unsubscribe(db(), client, incoming.message)
    return seal("on-unsubscribe", message, receiver_id=client.client_id)


@bp.post("/registry/unsubscribe")
def unsubscribe() -> Response:
    return _handle("subscribe", "unsubscribe", _unsubscribe)


def _txn_status(client: PartnerClient, incoming: Any) -> dict[str, Any]:
    message = txnstatus.status(db(), client, incoming.message)
    return seal("txn-on-status", message, receiver_id=client.client_id)


@bp.post("/registry/sync/txn/status")
def sync_txn_status() -> Response:
    client = _partner_any()
    try:
        incoming = open_envelope(request.get_json(silent=True), client, "txn-status")
        answer = _txn_status(client, incoming)
    except EnvelopeError as error:
        return _refuse(client, "txn-status", error)
    db().commit()
    return jsonify(answer)


def _partner_any() -> PartnerClient:
    """Any valid token may ask about its own transactions."""
    try:
        token = protector().acquire_token()
    except OAuth2Error as error:
        protector().raise_error_response(error)
    return token.client
