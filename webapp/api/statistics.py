from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request
from werkzeug.wrappers import Response

from registry.privacy.statistics import STATUSES, THRESHOLD, households_by_region
from webapp.api.openapi import describe, openapi_self
from webapp.database import db
from webapp.state import state

bp = Blueprint("api_statistics", __name__, url_prefix="/api/v1")


@bp.get("/statistics/households")
def households() -> Response:
    """Households by region and status; cells under the threshold are null (suppressed)."""
    languages = state().settings.languages
    language = request.args.get("lang", "")
    if language not in languages:
        language = languages[0]
    rows = households_by_region(db(), language)
    return jsonify(
        threshold=THRESHOLD,
        statuses=list(STATUSES),
        regions=[
            {"code": r.area_code, "name": r.area_name, "counts": r.cells, "total": r.total}
            for r in rows
        ],
    )


def describe_statistics(app: Flask) -> None:
    openapi_self(app)
    count = {"type": "integer", "nullable": True, "minimum": 0}
    describe(
        app,
        "/statistics/households",
        "get",
        {
            "summary": "Households by region and status, small cells suppressed",
            "operationId": "statisticsHouseholds",
            "parameters": [
                {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["en", "fr", "sw", "pt", "ar"]},
                }
            ],
            "responses": {
                "200": {
                    "description": "Counts; null means suppressed (under the threshold)",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["threshold", "statuses", "regions"],
                                "properties": {
                                    "threshold": {"type": "integer"},
                                    "statuses": {"type": "array", "items": {"type": "string"}},
                                    "regions": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["code", "name", "counts", "total"],
                                            "properties": {
                                                "code": {"type": "string"},
                                                "name": {"type": "string"},
                                                "counts": {
                                                    "type": "object",
                                                    "additionalProperties": count,
                                                },
                                                "total": count,
                                            },
                                        },
                                    },
                                },
                            }
                        }
                    },
                }
            },
        },
    )
