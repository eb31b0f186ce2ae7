from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from werkzeug.wrappers import Response

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
_KEY = "kinga_openapi"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
}


def describe(app: Flask, path: str, method: str, operation: dict[str, Any]) -> None:
    """Adds one operation (an OpenAPI 3.0 Operation Object) under `path` (without /api/v1)."""
    paths: dict[str, dict[str, Any]] = app.extensions.setdefault(_KEY, {})
    paths.setdefault(path, {})[method.lower()] = operation


def described_paths(app: Flask) -> dict[str, dict[str, Any]]:
    return dict(app.extensions.get(_KEY, {}))


def document(app: Flask) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Kinga API",
            "version": "1",
            "description": "Social protection registry: public statistics, card verification and "
            "integrations. Personal data is never returned to callers that may not see it.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": described_paths(app),
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {
                "partnerOAuth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "/api/v1/dci/oauth2/client/token",
                            "scopes": {
                                "search": "search the registry",
                                "subscribe": "subscribe to events",
                                "overlap": "overlap checks",
                            },
                        }
                    },
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(document(current_app))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def openapi_self(app: Flask) -> None:
    describe(
        app,
        "/openapi.json",
        "get",
        {
            "summary": "This API description",
            "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3 document"}},
        },
    )
