"""The program managers' desk: programs, rule versions, simulation, enrollment and overrides."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home import Tile, register_tile
from webapp.programs.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="programs.index",
            label=N_("Programs"),
            hint=N_("Rules, simulation and enrollment"),
            icon="rules",
            permission=Permission.PROGRAM_VIEW,
            order=40,
        ),
    )


__all__ = ["bp", "init_app"]
