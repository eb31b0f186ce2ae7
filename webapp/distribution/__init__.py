"""Distribution day on the web: points, stock, the offline roster, sync and reports."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.distribution.views import bp
from webapp.home import Tile, register_tile


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="distribution.index",
            label=N_("Distribution"),
            hint=N_("Rosters for distribution day, stock and hand-overs"),
            icon="rules",
            permission=Permission.DISTRIBUTION_RECORD,
            order=46,
        ),
    )


__all__ = ["bp", "init_app"]
