"""`kinga payments`: open and generate cycles, approve, export, pay, reconcile, money picture."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.errors import NotFound
from registry.i18n import N_
from registry.origin import Channel, Origin
from registry.payments.approval import approve_cycle
from registry.payments.cycles import generate_entitlements, get_cycle, open_cycle
from registry.payments.export import export_cycle
from registry.payments.mobile_money import client_from_settings, pay_cycle
from registry.payments.picture import CSV_COLUMNS, money_picture, picture_rows
from registry.payments.reconcile import reconcile
from registry.programs.service import get_program
from registry.scope import Scope
from registry.users.models import User
from registry.users.roles import Role, permissions_of
from registry.users.service import origin_for, scope_of
from webapp.cli.common import command_session
from webapp.state import state


@click.group("payments", cls=AppGroup)
def cli() -> None:
    """Payment cycles: entitlements, approval, payment lists, mobile money, reconciliation."""


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise NotFound(N_("No active user with this name."))
    return user


def _area(session: Session, code: str | None) -> Area | None:
    if not code:
        return None
    area = session.scalar(select(Area).where(Area.code == code.strip().upper()))
    if area is None:
        raise NotFound(N_("No area with this code."))
    return area


@cli.command("cycle")
@click.option("--program", "program_code", required=True, help="Program code.")
@click.option("--period", required=True, help="YYYY-MM.")
@click.option("--area", "area_code", default=None, help="Only households in this area.")
@click.option("--funding-source", default=None, help="Default: the program's first this year.")
@click.option("--user", "username", default=None, help="The preparer (default: the operator).")
def cycle_command(
    program_code: str,
    period: str,
    area_code: str | None,
    funding_source: str | None,
    username: str | None,
) -> None:
    """Open a cycle and generate its entitlements; prints the cycle id."""
    with command_session() as session:
        origin = Origin.cli("kinga payments cycle")
        if username:
            origin = origin_for(_user(session, username), Channel.CLI, "en")
        cycle = open_cycle(
            session,
            get_program(session, program_code),
            period,
            area=_area(session, area_code),
            funding_source=funding_source,
            origin=origin,
        )
        session.commit()
        generate_entitlements(
            session, cycle, origin=origin, progress=lambda _d, _t: session.commit()
        )
        click.echo(cycle.id)
        click.echo(
            f"{cycle.households} households, {cycle.total_amount} {cycle.currency}", err=True
        )


@cli.command("approve")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.option("--user", "username", required=True, help="The approving finance officer.")
@click.option("--override-reason", default=None, help="Approve over budget, with this reason.")
def approve_command(cycle_id: int, username: str, override_reason: str | None) -> None:
    """Approve a cycle (refused for its preparer, or over budget without an override)."""
    with command_session() as session:
        user = _user(session, username)
        scope = scope_of(user)
        cycle = get_cycle(session, cycle_id, scope)
        approve_cycle(
            session,
            cycle,
            approver_id=user.id,
            roles=user.roles,
            scope=scope,
            origin=origin_for(user, Channel.CLI, "en"),
            override_reason=override_reason,
        )
        click.echo(f"cycle {cycle.id} approved by {user.username}: {cycle.total_amount}")


@cli.command("export")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(cycle_id: int, fmt: str, out: Path) -> None:
    """Write an approved cycle's payment list and its SHA-256 manifest (FILE.manifest.json)."""
    with command_session() as session:
        cycle = get_cycle(session, cycle_id, Scope.unrestricted())
        result = export_cycle(
            session,
            cycle,
            fmt,
            out,
            permissions=permissions_of({Role.ADMIN}),
            origin=Origin.cli("kinga payments export"),
        )
        click.echo(f"{result.rows} rows, total {result.total:.2f} {cycle.currency}")
        click.echo(f"sha256 {result.sha256}  manifest {result.manifest}")


@cli.command("pay")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 1000))
def pay_command(cycle_id: int, batch_size: int) -> None:
    """Pay an approved cash cycle by mobile money (Africa's Talking B2C); safe to re-run."""
    with command_session() as session:
        cycle = get_cycle(session, cycle_id, Scope.unrestricted())
        client, product = client_from_settings(state().settings)
        result = pay_cycle(
            session,
            cycle,
            client,
            product,
            origin=Origin.cli("kinga payments pay"),
            batch_size=batch_size,
            checkpoint=lambda _d, _t: session.commit(),
        )
    click.echo(
        f"submitted {result.submitted}, accepted {result.accepted}, refused {result.refused}, "
        f"no phone {result.no_phone}, unanswered batches {result.unanswered}"
    )
    if result.unanswered:
        click.echo("; ".join(result.errors[:3]), err=True)
        sys.exit(1)


@cli.command("reconcile")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def reconcile_command(cycle_id: int, file: Path) -> None:
    """Apply a provider's results file (reference,status,amount,paid_at,provider_reference)."""
    try:
        with command_session() as session:
            cycle = get_cycle(session, cycle_id, Scope.unrestricted())
            report = reconcile(
                session,
                cycle,
                file.read_bytes(),
                filename=file.name,
                origin=Origin.cli("kinga payments reconcile"),
            )
    except click.ClickException as exc:
        raise click.ClickException(f"refused, nothing applied: {exc.message}") from exc
    if report.already_imported:
        click.echo("this file was imported before: nothing changed")
    click.echo(
        f"rows {report.rows}  matched {report.matched}  paid {report.paid}  "
        f"partly paid {report.partly_paid}  failed {report.failed}  "
        f"amount mismatches {report.mismatches}  unknown references {report.unknown}  "
        f"duplicate rows {report.duplicates}  unchanged {report.unchanged}"
    )
    for line, ref in report.unknown_lines[:20]:
        click.echo(f"  line {line}: unknown reference {ref}")
    for line, ref, first in report.duplicate_lines[:20]:
        click.echo(f"  line {line}: duplicate of line {first} ({ref})")
    for line, ref, owed, paid in report.mismatch_lines[:20]:
        click.echo(f"  line {line}: {ref} owed {owed}, paid {paid}")


@cli.command("picture")
@click.option("--program", "program_code", required=True)
@click.option("--year", required=True, type=int)
@click.option("--period", default=None, help="Only this YYYY-MM.")
@click.option("--area", "area_code", default=None, help="Drill down below this area.")
def picture_command(
    program_code: str, year: int, period: str | None, area_code: str | None
) -> None:
    """The money picture as CSV on standard output."""
    with command_session() as session:
        picture = money_picture(
            session,
            get_program(session, program_code),
            year=year,
            scope=Scope.unrestricted(),
            period=period,
            parent=_area(session, area_code),
        )
        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(picture_rows(picture))
