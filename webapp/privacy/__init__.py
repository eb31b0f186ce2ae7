"""Privacy desk: exports with a stated reason, subject access, public statistics."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile
from webapp.privacy.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="privacy.export",
            label=N_("Export households"),
            hint=N_("CSV or Excel, with a stated reason; every export is logged"),
            icon="folder",
            permission=Permission.EXPORT,
            order=70,
        ),
    )
    register_tile(
        app,
        Tile(
            endpoint="privacy.subject_access",
            label=N_("Data of one family"),
            hint=N_("Everything we hold about a household, for the family itself"),
            icon="person",
            permission=Permission.PII_FULL,
            order=75,
        ),
    )
    register_tile(
        app,
        Tile(
            endpoint="privacy.statistics",
            label=N_("Public statistics"),
            hint=N_("Households by region; small numbers hidden"),
            icon="chart",
            permission=Permission.DASHBOARD_VIEW,
            order=85,
        ),
    )
