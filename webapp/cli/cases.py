"""`kinga cases ...`: case types (load, list, show), overdue reminders, service places."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.cases import attendance, types
from registry.cases.reminders import remind_overdue
from registry.errors import DomainError
from registry.i18n import translate
from registry.origin import Origin
from webapp.cli.common import command_session


@click.group("cases", cls=AppGroup)
def cli() -> None:
    """Case management: case types, reminders, service places."""


@cli.command("load")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def load(files: tuple[Path, ...]) -> None:
    """Load case type files (YAML); a changed file adds a new version."""
    with command_session() as session:
        for path in files:
            try:
                definition = types.read_case_type_file(path)
            except DomainError as exc:  # name the file: several may be loaded at once
                message = translate("en", exc.msgid, **exc.params)
                raise click.ClickException(f"{path}: {message}") from exc
            result = types.load_case_type(session, definition, origin=Origin.cli())
            t = result.case_type
            state = "loaded as version" if result.created else "unchanged, version"
            click.echo(f"{t.code}: {state} {t.version} ({t.confidentiality})")


@cli.command("list")
@click.option("--all-versions", is_flag=True, help="Show every version, not only the current.")
def list_types(all_versions: bool) -> None:
    """List the case types."""
    with command_session() as session:
        rows = types.list_case_types(session, all_versions=all_versions)
        if not rows:
            click.echo("no case types; load some with `kinga cases load docs/case-types/*.yaml`")
        for t in rows:
            definition = t.definition
            click.echo(
                f"{t.code}\tv{t.version}{'' if t.current else ' (old)'}\t{t.confidentiality}\t"
                f"{len(definition['stages'])} stages, {len(definition['assessment'])} questions, "
                f"{len(definition['services'])} services\t{t.names.get('en', t.code)}"
            )


@cli.command("remind")
def remind() -> None:
    """SMS reminders for overdue visits, actions and referrals (`grievances escalate` runs it)."""
    with command_session() as session:
        run = remind_overdue(session)
    click.echo(f"reminded {len(run.reminded)} case(s); escalated {len(run.escalated)} case(s)")


@cli.command("add-place")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(attendance.PLACE_KINDS), required=True)
@click.option("--area", "area_code", required=True, help="Area code of the place.")
@click.option("--capacity", type=int, required=True)
@click.option("--program", "program_code", default=None, help="Code of a service program.")
def add_place(
    code: str, name: str, kind: str, area_code: str, capacity: int, program_code: str | None
) -> None:
    """Add a service place (early-education centre, disability workshop) with its capacity."""
    with command_session() as session:
        place = attendance.create_place(
            session,
            code=code,
            name=name,
            kind=kind,
            area_code=area_code,
            capacity=capacity,
            program_code=program_code,
            origin=Origin.cli(),
        )
        click.echo(f"place {place.code}: {place.capacity} places")
