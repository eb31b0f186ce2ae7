"""The administrator's desk: user accounts (`/admin/users`)."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.admin.views import bp
from webapp.home.tiles import Tile, register_tile


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_tile(
        app,
        Tile(
            endpoint="admin.users",
            label=N_("Users"),
            hint=N_("Create accounts, disable them, reset passwords, set roles and areas"),
            icon="shield",
            permission=Permission.USER_MANAGE,
            order=90,
        ),
    )
