"""The DCI routes in Kinga's OpenAPI document (/api/v1/openapi.json).

The full message schemas are the DCI standard's (social_api_v1.0.0.yaml, registry_core); here
the envelope is described closely enough for clients and fuzzers, and the tests validate real
messages against the standard's own schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from webapp.api.openapi import describe

_HEADER = {
    "type": "object",
    "required": ["message_id", "message_ts", "action", "sender_id", "total_count"],
    "properties": {
        "version": {"type": "string"},
        "message_id": {"type": "string", "minLength": 1, "maxLength": 100},
        "message_ts": {"type": "string", "format": "date-time"},
        "action": {"type": "string"},
        "sender_id": {"type": "string"},
        "receiver_id": {"type": "string"},
        "total_count": {"type": "integer"},
        "is_msg_encrypted": {"type": "boolean"},
    },
}
_ENVELOPE = {
    "type": "object",
    "required": ["header", "message"],
    "properties": {
        "signature": {"type": "string"},
        "header": _HEADER,
        "message": {"type": "object"},
    },
}
_CALLBACK = {
    "type": "object",
    "required": ["signature", "header", "message"],
    "properties": {
        "signature": {"type": "string"},
        "header": {"type": "object", "required": ["message_id", "message_ts", "action", "status"]},
        "message": {"type": "object"},
    },
}
_ACK = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {
            "type": "object",
            "required": ["ack_status", "timestamp", "correlation_id"],
            "properties": {
                "ack_status": {"type": "string", "enum": ["ACK", "NACK", "ERR"]},
                "timestamp": {"type": "string"},
                "correlation_id": {"type": "string"},
                "error": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        }
    },
}
_OAUTH_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _envelope(action: str) -> dict[str, Any]:
    header = {**_HEADER, "properties": {**_HEADER["properties"], "action": {"enum": [action]}}}
    return {**_ENVELOPE, "properties": {**_ENVELOPE["properties"], "header": header}}


def _dci(
    summary: str, operation_id: str, answer: dict[str, Any], scope: str, action: str
) -> dict[str, Any]:
    return {
        "summary": summary,
        "operationId": operation_id,
        "tags": ["DCI"],
        "security": [{"partnerOAuth": [scope]}],
        "requestBody": {"required": True, "content": _json(_envelope(action))},
        "responses": {
            "200": {"description": "Signed answer or acknowledgement", "content": _json(answer)},
            "400": {"description": "Message refused (ERR)", "content": _json(_ACK)},
            "401": {"description": "No valid token, or a bad signature"},
            "403": {"description": "The token lacks the scope"},
        },
    }


def describe_dci(app: Flask) -> None:
    describe(
        app,
        "/dci/oauth2/client/token",
        "post",
        {
            "summary": "OAuth 2.0 client credentials token (RFC 6749 4.4)",
            "operationId": "dciToken",
            "tags": ["DCI"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "required": ["grant_type"],
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                                "client_id": {"type": "string"},
                                "client_secret": {"type": "string"},
                                "scope": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Bearer token",
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["access_token", "token_type"],
                            "properties": {
                                "access_token": {"type": "string"},
                                "token_type": {"type": "string"},
                                "expires_in": {"type": "integer"},
                                "scope": {"type": "string"},
                            },
                        }
                    ),
                },
                "400": {"description": "Bad request", "content": _json(_OAUTH_ERROR)},
                "401": {
                    "description": "Unknown client or wrong secret",
                    "content": _json(_OAUTH_ERROR),
                },
            },
        },
    )
    describe(
        app,
        "/dci/.well-known/jwks.json",
        "get",
        {
            "summary": "Kinga's message signing keys (JWKS, Ed25519)",
            "operationId": "dciJwks",
            "tags": ["DCI"],
            "responses": {"200": {"description": "JWKS", "content": _json({"type": "object"})}},
        },
    )
    routes = (
        (
            "/dci/registry/sync/search",
            "Search the registry, answer in the response",
            "dciSyncSearch",
            _CALLBACK,
            "search",
            "search",
        ),
        (
            "/dci/registry/search",
            "Search; the answer is posted to your on-search",
            "dciSearch",
            _ACK,
            "search",
            "search",
        ),
        (
            "/dci/registry/subscribe",
            "Subscribe to registry events",
            "dciSubscribe",
            _CALLBACK,
            "subscribe",
            "subscribe",
        ),
        (
            "/dci/registry/unsubscribe",
            "End subscriptions",
            "dciUnsubscribe",
            _CALLBACK,
            "subscribe",
            "unsubscribe",
        ),
        (
            "/dci/registry/sync/txn/status",
            "Status of your earlier messages",
            "dciTxnStatus",
            _CALLBACK,
            "search",
            "txn-status",
        ),
    )
    for path, summary, operation_id, answer, scope, action in routes:
        describe(app, path, "post", _dci(summary, operation_id, answer, scope, action))
