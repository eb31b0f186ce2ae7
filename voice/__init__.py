"""The voice door: the same services by phone call, for people who cannot read.

Gateway callbacks (Twilio, Africa's Talking) walk the caller through status, complaints and
tracking by keypad; prompts are spoken from recorded or synthesised audio in their language.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Registers the gateway blueprints (signed or tokened: no CSRF) and the audio clips."""
    from voice.views import africastalking_bp, audio_bp, twilio_bp

    csrf = app.extensions.get("csrf")
    for blueprint in (twilio_bp, africastalking_bp):
        if csrf is not None:
            csrf.exempt(blueprint)
        app.register_blueprint(blueprint)
    app.register_blueprint(audio_bp)
    from voice.simulator import init_app as init_simulator

    init_simulator(app)  # a browser page calls it: the CSRF check stays on
