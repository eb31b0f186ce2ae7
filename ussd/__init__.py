"""The USSD door: gateway callbacks, menus within length limits, session state."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the gateway routes (exempt from CSRF: gateways post forms without a token)
    and, in demo mode, the phone simulator."""
    from ussd.views import bp
    from webapp import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
    from ussd.simulator import init_app as init_simulator

    init_simulator(app)
