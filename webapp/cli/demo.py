from __future__ import annotations

import secrets
import time

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from registry.demo.loader import (
    audit_load,
    count_demo_households,
    load_areas,
    load_households,
    load_users,
    run_extra_steps,
)
from registry.origin import Origin
from registry.settings import instance_dir
from webapp.cli.common import command_session
from webapp.state import state

MAX_HOUSEHOLDS = 250_000


def demo_password() -> str:
    configured = state().settings.demo_password
    if configured:
        return configured
    path = instance_dir() / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


@click.command("demo")
@click.option(
    "--households",
    type=click.IntRange(0, MAX_HOUSEHOLDS),
    default=None,
    help="Households to add (default 2000 on an empty registry).",
)
@click.option("--seed", default=2026, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def cli(households: int | None, seed: int, quiet: bool) -> None:
    """Load demo areas, users and households. Run again: nothing is loaded twice."""
    password = demo_password()
    origin = Origin.cli("kinga demo")
    with command_session() as session:
        load_areas(session)
        created = load_users(session, origin, password)
        existing = count_demo_households(session)
    if households is None:
        households = 0 if existing else 2000
    started = time.perf_counter()
    if households:
        with tqdm(total=households, unit="hh", disable=quiet, desc="households") as bar:
            persons = load_households(state().engine, households, seed, progress=bar.update)
        with command_session() as session:
            audit_load(session, origin, households, persons)
        click.echo(
            f"loaded {households} households, {persons} people "
            f"in {time.perf_counter() - started:.1f}s"
        )
    elif existing:
        click.echo(f"demo data already loaded ({existing} households); nothing added")
    if created:
        with command_session() as session:
            run_extra_steps(session, seed, origin)
    click.echo(f"demo logins (password for all: {password}):")
    click.echo("  demo-admin, demo-manager, demo-auditor, demo-finance-1 (all areas)")
    click.echo("  demo-field-1, demo-officer-1, demo-caseworker-1 (first region)")
    click.echo("  demo-safeguarding-1: sensitive grievances (first region)")
    click.echo("  demo-field-2, demo-officer-2 (second region)")
