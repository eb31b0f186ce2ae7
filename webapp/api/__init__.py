"""The JSON API under /api/v1 and its OpenAPI description.

Each API route declares its operation with `describe(app, path, method, operation)`;
`/api/v1/openapi.json` is built from those declarations, and a test fails when an /api/ route
has none (so the description, and the fuzzing that reads it, cannot fall behind).
"""

from __future__ import annotations

from flask import Flask

from webapp.api.cards_doc import describe_cards
from webapp.api.indicators import bp as indicators_bp
from webapp.api.indicators import describe_indicators
from webapp.api.openapi import bp, describe
from webapp.api.statistics import bp as statistics_bp
from webapp.api.statistics import describe_statistics

__all__ = ["describe", "init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(statistics_bp)
    describe_statistics(app)
    describe_cards(app)
    app.register_blueprint(indicators_bp)
    describe_indicators(app)
