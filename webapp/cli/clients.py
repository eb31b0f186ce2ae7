"""`kinga clients`: partner systems (agreements) and the delivery of what they are owed."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import click
from flask.cli import AppGroup

from registry.db import utcnow
from registry.origin import Origin
from registry.partners.clients import create_client, get_client, list_clients, set_suspended
from registry.partners.deliveries import deliver_due
from registry.partners.fields import DEFAULT_FIELDS, FIELDS
from registry.partners.models import PartnerScope
from webapp.cli.common import command_session
from webapp.state import state


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


@click.group("clients", cls=AppGroup)
def cli() -> None:
    """Partner systems that query Kinga (DCI registry API) under an agreement."""


@cli.command("create")
@click.argument("name")
@click.option("--scopes", required=True, help="Comma-separated: " + ", ".join(PartnerScope))
@click.option("--areas", required=True, help="Comma-separated area codes it may hear of.")
@click.option(
    "--fields",
    default=",".join(DEFAULT_FIELDS),
    show_default=True,
    help="Comma-separated, among: " + ", ".join(FIELDS),
)
@click.option(
    "--purpose", required=True, help="What the agreement is for (audited with each call)."
)
@click.option(
    "--expires", default=None, help="Last day of the agreement, YYYY-MM-DD (default: one year)."
)
@click.option("--public-key", default=None, help="The partner's Ed25519 public key, base64.")
@click.option("--callback-url", default=None, help="The partner's DCI base URL for callbacks.")
def create(
    name: str,
    scopes: str,
    areas: str,
    fields: str,
    purpose: str,
    expires: str | None,
    public_key: str | None,
    callback_url: str | None,
) -> None:
    """Register a partner; prints its client id and secret (shown once)."""
    if expires:
        try:
            ends = datetime.combine(date.fromisoformat(expires), clock(23, 59), tzinfo=UTC)
        except ValueError as exc:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--expires") from exc
    else:
        ends = utcnow() + timedelta(days=365)
    with command_session() as session:
        client, secret = create_client(
            session,
            Origin.cli(),
            name=name,
            scopes=_split(scopes),
            area_codes=_split(areas),
            fields=_split(fields),
            purpose=purpose,
            expires_at=ends,
            public_key=public_key,
            callback_url=callback_url,
        )
        client_id = client.client_id
    click.echo(f"client_id: {client_id}")
    click.echo(f"client_secret: {secret}")
    click.echo("The secret is shown once; it is stored only as a hash.")


@cli.command("list")
def list_() -> None:
    """Partners, their scopes, areas, expiry and state."""
    with command_session() as session:
        for c in list_clients(session):
            state_ = (
                "suspended"
                if c.suspended
                else ("expired" if c.expires_at <= utcnow() else "active")
            )
            areas = ",".join(a.code for a in c.areas)
            click.echo(
                f"{c.client_id}\t{c.name}\t{','.join(c.scopes)}\t{areas}\t"
                f"{c.expires_at.date()}\t{state_}"
            )


@cli.command("suspend")
@click.argument("client_id")
@click.option("--resume", is_flag=True, help="Lift the suspension instead.")
def suspend(client_id: str, resume: bool) -> None:
    """Suspend a partner at once (its tokens stop working), or resume it."""
    with command_session() as session:
        set_suspended(session, Origin.cli(), get_client(session, client_id), not resume)
    click.echo(f"{client_id} {'resumed' if resume else 'suspended'}")


@cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering every few seconds.")
@click.option("--interval", default=5.0, show_default=True)
def deliver(loop: bool, interval: float) -> None:
    """Send due notifications and async search answers to partners (with retries)."""
    while True:
        counts = deliver_due(state().sessionmaker)
        if counts or not loop:
            click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing due")
        if not loop:
            return
        time.sleep(interval)
