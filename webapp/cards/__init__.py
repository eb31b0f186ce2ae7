"""Cards door: the printing desk, /verify for field workers, the JSON API and the published keys."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from registry.cards.keys import Keyring, default_keys_dir
from registry.i18n import N_
from registry.numbers import group
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile


def keyring(app: Flask | None = None) -> Keyring:
    return (app or current_app).extensions["kinga_keyring"]


def init_app(app: Flask) -> None:
    from webapp import csrf
    from webapp.cards import api, desk, verify, wellknown

    configured = app.config.get("KINGA_KEYS_DIR")
    ring = Keyring(Path(configured) if configured else default_keys_dir())
    ring.check()  # an unsafe keys directory stops the app here, with the reason
    app.extensions["kinga_keyring"] = ring
    app.add_template_filter(group, "cardgroups")
    app.register_blueprint(wellknown.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(verify.bp)
    app.register_blueprint(desk.bp)
    csrf.exempt(api.bp)
    register_tile(
        app,
        Tile(
            "cards.index",
            N_("Beneficiary cards"),
            N_("Issue, reissue and print QR cards"),
            "card",
            Permission.CARD_ISSUE,
            order=60,
        ),
    )
    register_tile(
        app,
        Tile(
            "verify.page",
            N_("Check a card"),
            N_("Scan or type a card, even offline"),
            "check",
            Permission.CARD_VERIFY,
            order=61,
        ),
    )
