"""The USSD door: gateway callbacks, menus within length limits, session state."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the USSD blueprints (added as the menus are built)."""
