"""`/verify`: field workers check a card on their phone; the page verifies on its own offline.

Online and logged in, the page also asks `/verify/check` for the holder (within the worker's
areas) and that check is recorded.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from registry.cards.checks import check_number, check_qr
from registry.cards.holder_view import holder_view
from registry.cards.service import card_by_number, record_verification
from registry.origin import Channel
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope
from webapp.cards import keyring
from webapp.cards.api import verdict_json
from webapp.cards.reasons import REASON_TEXT
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("verify", __name__)


@bp.get("/verify")
def page() -> str:
    from flask_babel import gettext as _

    messages = {code: _(msgid) for code, msgid in REASON_TEXT.items()}
    return render_template(
        "cards/verify.html", messages=messages, card_verify=Permission.CARD_VERIFY
    )


@bp.get("/verify-sw.js")
def service_worker() -> Response:
    shell = [url_for("verify.page")] + [
        url_for("static", filename=name)
        for name in (
            "js/cards/verify-page.js",
            "js/cards/verifier.js",
            "js/cards/camera.js",
            "js/cards/vendor/noble-ed25519.js",
            "js/cards/vendor/jsQR.js",
            "css/app.css",
            "css/cards.css",
            "icons.svg",
        )
    ]
    script = render_template("cards/verify-sw.js", shell=shell)
    response = make_response(script)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/verify/check")
def check() -> tuple[Response, int] | Response:
    if not current_user.is_authenticated or not current_user.can(Permission.CARD_VERIFY):
        abort(401)
    body = request.get_json(silent=True) or {}
    qr, number = body.get("qr"), body.get("number")
    if isinstance(qr, str) and qr:
        verdict, method = check_qr(db(), keyring(), qr[:2000]), "qr"
        card_number = verdict.claims.card_number if verdict.claims else None
    elif isinstance(number, str) and number:
        verdict, method = check_number(db(), number[:40]), "number"
        card_number = "".join(ch for ch in number if ch.isdigit())[:12]
    else:
        abort(400)
    language = current_language()
    answer = verdict_json(verdict, language)
    record_verification(
        db(),
        card_number=card_number,
        valid=verdict.valid,
        reason=verdict.reason,
        method=method,
        origin=current_origin(Channel.FIELD),
    )
    card = card_by_number(db(), card_number) if card_number else None
    if card is not None:
        view = holder_view(db(), card, current_scope(), language)
        answer["holder"] = asdict(view) if view else None
    db().commit()
    return jsonify(answer)
