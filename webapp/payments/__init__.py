"""The payments desk: cycles, approval, payment lists, mobile money, reconciliation, money."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home import Tile, register_tile
from webapp.payments.callbacks import bp as callbacks_bp
from webapp.payments.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf = app.extensions.get("csrf")
    if csrf is not None:  # the gateway puts a secret token in the path instead
        csrf.exempt(callbacks_bp)
    app.register_blueprint(callbacks_bp)
    register_tile(
        app,
        Tile(
            endpoint="payments.index",
            label=N_("Payments"),
            hint=N_("Cycles, approval, payment lists and the money picture"),
            icon="rules",
            permission=Permission.PAYMENT_VIEW,
            order=45,
        ),
    )


__all__ = ["bp", "init_app"]
