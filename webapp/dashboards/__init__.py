"""The dashboard desk: indicators by area, program and month, drawn on the server."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.dashboards.views import bp
from webapp.home import Tile, register_tile


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="dashboards.index",
            label=N_("Dashboards"),
            hint=N_("Indicators by area, program and month"),
            icon="chart",
            permission=Permission.DASHBOARD_VIEW,
            order=50,
        ),
    )


__all__ = ["bp", "init_app"]
