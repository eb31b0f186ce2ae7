"""`POST /api/v1/cards/verify`: the server's verdict on a QR text or a typed card number."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.wrappers import Response

from registry.cards.checks import check_number, check_qr
from registry.cards.verify import Verdict
from registry.i18n import translate
from webapp.cards import keyring
from webapp.cards.reasons import REASON_TEXT
from webapp.database import db
from webapp.i18n import current_language
from webapp.state import state

bp = Blueprint("cards_api", __name__, url_prefix="/api/v1/cards")

RATE_LIMIT_PER_MINUTE = 30


def _rate_limited() -> bool:
    minute = int(time.time() // 60)
    key = f"cards-verify:{request.remote_addr}:{minute}"
    return state().kv.incr(key, 120) > RATE_LIMIT_PER_MINUTE


def verdict_json(verdict: Verdict, language: str) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "valid": verdict.valid,
        "reason": verdict.reason,
        "message": translate(language, REASON_TEXT.get(verdict.reason, verdict.reason)),
    }
    if verdict.kid:
        answer["kid"] = verdict.kid
    if verdict.claims is not None:
        claims = verdict.claims
        answer.update(
            card_number=claims.card_number,
            area_code=claims.area_code,
            programs=list(claims.programs),
            issued_at=claims.issued_at.isoformat(),
            expires_at=claims.expires_at.isoformat(),
        )
    return answer


@bp.post("/verify")
def verify() -> tuple[Response, int] | Response:
    if _rate_limited():
        abort(429)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(
            error="bad_request", message='send {"qr": "KG1:..."} or {"number": "..."}'
        ), 400
    qr, number = body.get("qr"), body.get("number")
    if isinstance(qr, str) and qr:
        verdict = check_qr(db(), keyring(), qr[:2000])
    elif isinstance(number, str) and number:
        verdict = check_number(db(), number[:40])
    else:
        return jsonify(
            error="bad_request", message='send {"qr": "KG1:..."} or {"number": "..."}'
        ), 400
    answer = verdict_json(verdict, current_language())
    if isinstance(number, str) and verdict.claims is None and verdict.reason != "bad_number":
        answer["card_number"] = "".join(ch for ch in number if ch.isdigit())
    return jsonify(answer)
