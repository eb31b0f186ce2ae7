from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.grievances.escalation import escalate_overdue
from webapp.cli.common import command_session


@click.group("grievances", cls=AppGroup)
def cli() -> None:
    """Grievance redress."""


@cli.command("escalate")
def escalate() -> None:
    """Escalate every grievance past its due time (safe to run every minute)."""
    with command_session() as session:
        numbers = escalate_overdue(session)
    click.echo(f"escalated {len(numbers)} grievance(s)")
