from __future__ import annotations

import click
from flask.cli import AppGroup

from registry.grievances.escalation import escalate_overdue, run_overdue_sweeps
from webapp.cli.common import command_session


@click.group("grievances", cls=AppGroup)
def cli() -> None:
    """Grievance redress."""


@cli.command("escalate")
def escalate() -> None:
    """Escalate every grievance past its due time, remind overdue case work (safe every minute)."""
    with command_session() as session:
        numbers = escalate_overdue(session)
        others = run_overdue_sweeps(session)
    click.echo(f"escalated {len(numbers)} grievance(s)")
    for name, count in others.items():
        click.echo(f"{name.split('.')[1]}: {count} reminded or escalated")
