"""The grievance officer's inbox: list, grievance page with every action, stats, categories."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile
from webapp.inbox import formatting
from webapp.inbox.categories import bp as categories_bp
from webapp.inbox.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(categories_bp)
    formatting.init_app(app)
    register_tile(
        app,
        Tile(
            "inbox.index",
            N_("Grievance inbox"),
            N_("Complaints of your areas, late ones first"),
            "inbox",
            Permission.GRIEVANCE_HANDLE,
            order=20,
        ),
    )
    register_tile(
        app,
        Tile(
            "inbox.lodge",
            N_("Record a grievance"),
            N_("For someone at the desk or in the field"),
            "person",
            Permission.GRIEVANCE_LODGE,
            order=30,
        ),
    )
    register_tile(
        app,
        Tile(
            "inbox_categories.index",
            N_("Grievance categories"),
            N_("Names, time to answer, sensitivity"),
            "rules",
            Permission.USER_MANAGE,
            order=80,
        ),
    )
