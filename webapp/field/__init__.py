"""The field worker's mobile web forms: light, low-literacy, usable with no signal."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile


def init_app(app: Flask) -> None:
    from webapp.field import grievances
    from webapp.field.views import bp

    app.register_blueprint(bp)
    grievances.init_app(app)
    register_tile(
        app,
        Tile(
            endpoint="field.search",
            label=N_("Households"),
            hint=N_("Find, register and verify households in my areas"),
            icon="house",
            permission=Permission.HOUSEHOLD_REGISTER,
            order=10,
        ),
    )
