from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.state import state


@click.command("info")
@click.option("--port", default=8000, show_default=True)
@with_appcontext
def cli(port: int) -> None:
    """Print where Kinga answers: the web, the phone simulator and the gateway callbacks."""
    settings = state().settings
    base = f"http://127.0.0.1:{port}"
    public = settings.public_url
    click.echo(f"Kinga web:            {base}/login")
    if settings.demo:
        click.echo(f"Phone simulator:      {base}/simulator")
        click.echo(f"Voice simulator:      {base}/simulator/voice")
    click.echo(f"Health:               {base}/healthz")
    click.echo("Gateway callbacks (give these to the providers):")
    token = settings.at_callback_token
    click.echo(f"  Africa's Talking USSD:     {public}/ussd/africastalking/{token}")
    click.echo(f"  Africa's Talking USSD end: {public}/ussd/africastalking/{token}/events")
    click.echo(f"  Africa's Talking SMS in:   {public}/sms/africastalking/{token}/inbound")
    click.echo(f"  Africa's Talking delivery: {public}/sms/africastalking/{token}/delivery")
    click.echo(f"  Africa's Talking payments: {public}/payments/africastalking/{token}/b2c")
    click.echo(f"  Twilio SMS in:             {public}/sms/twilio")
    click.echo(f"  Twilio status callback:    {public}/sms/twilio/status")
    click.echo(f"  Twilio voice:              {public}/voice/twilio")
    click.echo(f"  Twilio missed-call number: {public}/voice/twilio/missed")
    click.echo(f"  Africa's Talking voice:    {public}/voice/africastalking/{token}")
    click.echo(f"  Africa's Talking missed:   {public}/voice/africastalking/{token}/missed")
