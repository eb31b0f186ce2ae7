"""What offline verifiers download: the public keys and the signed revocation list."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from registry.cards.revocations import signed_revocation_list
from webapp.cards import keyring
from webapp.database import db

bp = Blueprint("wellknown", __name__)


def _public(response: Response, max_age: int) -> Response:
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/kinga-keys.json")
def keys() -> Response:
    return _public(jsonify(keyring().jwks()), 3600)


@bp.get("/.well-known/kinga-revoked.json")
def revoked() -> Response:
    document = signed_revocation_list(db(), keyring())
    db().commit()
    return _public(jsonify(document), 300)
