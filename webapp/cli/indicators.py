"""`kinga indicators refresh`: count a month's indicators again (what the nightly job runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.indicators.periods import Period
from registry.indicators.refresh import refresh_period
from registry.origin import Origin
from webapp.cli.common import command_session
from webapp.cli.reports import parse_period


@click.group("indicators", cls=AppGroup)
def cli() -> None:
    """Indicator snapshots the dashboards read."""


@cli.command("refresh")
@click.option("--period", default=None, callback=parse_period, help="YYYY-MM (default: now).")
def refresh(period: Period) -> None:
    """Count a month's indicators again and replace its snapshots."""
    with command_session() as session:
        summary = refresh_period(session, period, origin=Origin.cli("indicators"))
    click.echo(f"{summary.period}: {summary.rows} figures in {summary.seconds} s")
