"""Headers on every response: a strict CSP with no inline script, no framing, no sniffing."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort, request
from werkzeug.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def init_app(app: Flask) -> None:
    https = app.config.get("PREFERRED_URL_SCHEME") == "https"

    @app.before_request
    def refuse_nul_bytes() -> None:
        """No form or query value ever legitimately holds a NUL byte; PostgreSQL refuses them."""
        if _has_nul(request.args.values()) or (
            request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.form.values())
        ):
            abort(400)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            # Pages may carry personal data: never store them in shared or browser caches.
            response.headers["Cache-Control"] = "no-store"
        return response
