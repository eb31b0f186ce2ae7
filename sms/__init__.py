"""The SMS door: gateway webhooks in (Twilio, Africa's Talking), the outbox worker out."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the gateway blueprints; gateways sign or token their calls, so no CSRF."""
    from sms.africastalking_views import bp as africastalking_bp
    from sms.simulator_views import bp as simulator_bp
    from sms.twilio_views import bp as twilio_bp

    csrf = app.extensions.get("csrf")
    for blueprint in (twilio_bp, africastalking_bp):
        if csrf is not None:
            csrf.exempt(blueprint)
        app.register_blueprint(blueprint)
    app.register_blueprint(simulator_bp)  # a browser page calls it: the CSRF check stays on
