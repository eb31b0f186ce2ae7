"""Administrators' desk for partner systems: agreements, secrets shown once, suspension."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile


def init_app(app: Flask) -> None:
    from webapp.partners.views import bp

    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            "partners.index",
            N_("Partner systems"),
            N_("Agreements with other systems that query the registry"),
            "link",
            Permission.USER_MANAGE,
            order=90,
        ),
    )
