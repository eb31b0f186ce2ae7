"""`GET /api/v1/indicators`: snapshot figures for an area and its children, scoped and suppressed.

Figures leave the desk here, so small cells (and the cells that would reveal them) are null.
The caller is a logged-in user holding the dashboard permission; areas outside their own are
reported absent (404), like everywhere else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, abort, jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from registry.db import utcnow
from registry.errors import InvalidInput, NotFound
from registry.i18n import translate
from registry.indicators.definitions import BY_CODE, INDICATORS, Indicator, Unit
from registry.indicators.periods import Period
from registry.indicators.read import area_for, latest_period, program_code, read_board
from registry.indicators.tables import Table, build_table
from registry.privacy.statistics import THRESHOLD
from registry.users.roles import Permission
from webapp.api.openapi import describe
from webapp.auth.access import current_scope
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("api_indicators", __name__, url_prefix="/api/v1")


def _bad(message: str) -> tuple[Response, int]:
    return jsonify(error="bad_request", message=message), 400


def _number(value: Decimal | None, unit: Unit) -> Any:
    if value is None:
        return None
    if unit == Unit.MONEY:
        return str(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _table_json(table: Table, language: str) -> dict[str, Any]:
    indicator = table.indicator
    return {
        "indicator": indicator.code,
        "section": indicator.section.value,
        "title": translate(language, indicator.title),
        "definition": {
            "numerator": translate(language, indicator.numerator),
            "denominator": translate(language, indicator.denominator)
            if indicator.denominator
            else None,
            "period": translate(language, indicator.period),
        },
        "unit": indicator.unit.value,
        "dimension": indicator.dimension,
        "columns": list(table.columns),
        "suppressed_cells": table.hidden,
        "rows": [
            {
                "area": row.area.code,
                "name": row.area.name_in(language),
                "level": row.area.level,
                "values": {
                    column: _number(value, indicator.unit if column == "value" else Unit.COUNT)
                    for column, value in zip(table.columns, row.cells, strict=True)
                },
            }
            for row in table.rows
        ],
    }


@bp.get("/indicators")
def indicators() -> tuple[Response, int] | Response:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.can(Permission.DASHBOARD_VIEW):
        abort(403)
    session, scope, language = db(), current_scope(), current_language()
    code = request.args.get("indicator", "")
    if code and code not in BY_CODE:
        return _bad("unknown indicator; see the enum in /api/v1/openapi.json")
    try:
        period = (
            Period.parse(request.args["period"])
            if request.args.get("period")
            else latest_period(session) or Period.of(utcnow())
        )
        area = area_for(session, scope, request.args.get("area"))
        program = program_code(session, request.args.get("program"))
    except InvalidInput as exc:
        return _bad(translate(language, exc.msgid))
    except NotFound:
        return jsonify(error="not_found", message="no such area or program"), 404
    chosen: list[Indicator] = [BY_CODE[code]] if code else list(INDICATORS)
    board = read_board(
        session,
        scope,
        area=area,
        period=period,
        program=program,
        indicators=[i.code for i in chosen],
    )
    return jsonify(
        period=str(period),
        program=program,
        area={"code": area.code, "name": area.name_in(language), "level": area.level},
        refreshed_at=board.refreshed_at.isoformat() if board.refreshed_at else None,
        threshold=THRESHOLD,
        indicators=[
            _table_json(build_table(board, i.code, suppress=True), language) for i in chosen
        ],
    )


CODE = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"}


def describe_indicators(app: Flask) -> None:
    value = {"nullable": True, "oneOf": [{"type": "number"}, {"type": "string"}]}
    describe(
        app,
        "/indicators",
        "get",
        {
            "summary": "Indicators of an area and its children for a month, small cells null",
            "description": "Read from the snapshots the refresh job writes. Needs a logged-in "
            "session with the dashboard permission; figures cover the caller's areas only. "
            "Counts under the threshold, and cells that would reveal them, are null. Money is "
            "a decimal string.",
            "operationId": "indicators",
            "parameters": [
                {
                    "name": "indicator",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": [i.code for i in INDICATORS]},
                },
                {"name": "area", "in": "query", "required": False, "schema": CODE},
                {"name": "program", "in": "query", "required": False, "schema": CODE},
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                },
            ],
            "responses": {
                "200": {
                    "description": "Tables of figures, one per indicator",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["period", "area", "threshold", "indicators"],
                                "properties": {
                                    "period": {"type": "string"},
                                    "program": {"type": "string"},
                                    "area": {"type": "object"},
                                    "refreshed_at": {"type": "string", "nullable": True},
                                    "threshold": {"type": "integer"},
                                    "indicators": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "indicator": {"type": "string"},
                                                "unit": {"type": "string"},
                                                "columns": {
                                                    "type": "array",
                                                    "items": {"type": "string"},
                                                },
                                                "rows": {
                                                    "type": "array",
                                                    "items": {
                                                        "type": "object",
                                                        "properties": {
                                                            "area": {"type": "string"},
                                                            "values": {
                                                                "type": "object",
                                                                "additionalProperties": value,
                                                            },
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        }
                    },
                },
                "400": {"description": "Bad period or indicator"},
                "401": {"description": "Not logged in"},
                "403": {"description": "No dashboard permission"},
                "404": {"description": "Area or program absent or outside the caller's areas"},
            },
        },
    )
