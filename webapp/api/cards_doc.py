"""The OpenAPI description of issue 8's `POST /api/v1/cards/verify` (the route is the cards
door's; its description lives with the others so the fuzzer reaches it)."""

from __future__ import annotations

from flask import Flask

from webapp.api.openapi import describe

_VERDICT = {
    "type": "object",
    "required": ["valid", "reason", "message"],
    "properties": {
        "valid": {"type": "boolean"},
        "reason": {"type": "string"},
        "message": {"type": "string"},
        "kid": {"type": "string"},
        "card_number": {"type": "string"},
        "area_code": {"type": "string"},
        "programs": {"type": "array", "items": {"type": "string"}},
        "issued_at": {"type": "string"},
        "expires_at": {"type": "string"},
    },
}


def describe_cards(app: Flask) -> None:
    if "cards_api.verify" not in app.view_functions:
        return
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    describe(
        app,
        "/cards/verify",
        "post",
        {
            "summary": "Verify a card from its QR text or its typed number",
            "operationId": "cardsVerify",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "qr": {"type": "string", "minLength": 1, "maxLength": 2000},
                                "number": {"type": "string", "minLength": 1, "maxLength": 40},
                            },
                            "anyOf": [{"required": ["qr"]}, {"required": ["number"]}],
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The verdict",
                    "content": {"application/json": {"schema": _VERDICT}},
                },
                "400": {"description": "Neither qr nor number given", "content": error},
                "429": {"description": "Too many verifications from this address"},
            },
        },
    )
