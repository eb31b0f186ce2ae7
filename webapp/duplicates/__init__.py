"""The duplicates desk: the review queue of likely duplicates, side by side, and merges."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.duplicates.views import bp
from webapp.home.tiles import Tile, register_tile


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="duplicates.index",
            label=N_("Possible duplicates"),
            hint=N_("The same person registered twice? Compare and decide"),
            icon="person",
            permission=Permission.DUPLICATE_REVIEW,
            order=65,
        ),
    )
