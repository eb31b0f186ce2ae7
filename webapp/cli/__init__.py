"""`kinga`: the command line, a Flask CLI group over the app."""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup

# Each module defines a click group or command named `cli` and is added here.
COMMAND_MODULES = (
    "webapp.cli.db",
    "webapp.cli.demo",
    "webapp.cli.serve",
    "webapp.cli.users",
    "webapp.cli.i18n",
    "webapp.cli.sms",
    "webapp.cli.info",
    "webapp.cli.programs",
    "webapp.cli.grievances",
    "webapp.cli.cases",
    "webapp.cli.audit",
    "webapp.cli.retention",
    "webapp.cli.cards",
    "webapp.cli.keys",
    "webapp.cli.payments",
    "webapp.cli.clients",
    "webapp.cli.overlap",
    "webapp.cli.dedup",
    "webapp.cli.worker",
    "webapp.cli.backup",
    "webapp.cli.doctor",
    "webapp.cli.voice",
    "webapp.cli.indicators",
    "webapp.cli.reports",
)


def _create_app():  # type: ignore[no-untyped-def]
    from webapp import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def main() -> None:
    """Kinga: social protection registry and field service."""


for _name in COMMAND_MODULES:
    _command = importlib.import_module(_name).cli
    if _command.name.endswith("-commands"):  # a bundle of top-level commands (backup, restore)
        for _sub in _command.commands.values():
            main.add_command(_sub)
    else:
        main.add_command(_command)
