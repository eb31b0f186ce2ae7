"""Partner systems' door: OAuth 2.0 token endpoint and the DCI Social Registry routes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp import csrf
    from webapp.partners_api import describe, routes
    from webapp.partners_api.oauth import init_oauth

    init_oauth(app)
    app.register_blueprint(routes.bp)
    csrf.exempt(routes.bp)
    describe.describe_dci(app)
