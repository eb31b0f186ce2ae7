"""The SMS door: gateway webhooks in, the outbox worker out."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the SMS blueprints (added as the gateways are built)."""
