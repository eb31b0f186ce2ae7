"""`kinga payments`: open and generate cycles, approve, export, pay, reconcile, money picture."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.errors import Conflict, NotFound
from registry.i18n import N_
from registry.origin import Channel, Origin
from registry.payments.approval import approve_cycle
from registry.payments.cycles import get_cycle, open_cycle
from registry.payments.jobs import EXPORT, GENERATE, PAY, RECONCILE
from registry.payments.models import ReconciliationImport
from registry.payments.picture import CSV_COLUMNS, money_picture, picture_rows
from registry.payments.reconcile import ReconciliationReport
from registry.payments.uploads import store_upload
from registry.programs.service import get_program
from registry.scope import Scope
from registry.users.models import User
from registry.users.service import origin_for, scope_of
from webapp.cli.common import command_session, job_file, run_as_job


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
@click.option("--queue", is_flag=True, help="Leave the job to `kinga worker` instead of waiting.")
def cycle_command(
    program_code: str,
    period: str,
    area_code: str | None,
    funding_source: str | None,
    username: str | None,
    queue: bool,
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
        cycle_id = cycle.id
    finished = run_as_job(GENERATE, {"cycle_id": cycle_id}, queue=queue, who="kinga payments cycle")
    click.echo(cycle_id)
    if finished is not None:
        result = finished.result or {}
        click.echo(f"{result.get('households')} households, {result.get('total')}", err=True)


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
        if cycle.status not in ("approved", "closed"):
            raise Conflict(N_("Only an approved cycle can be exported for payment."))
    finished = run_as_job(
        EXPORT,
        {"cycle_id": cycle_id, "format": fmt, "masked": False},
        queue=False,
        who="kinga payments export",
    )
    assert finished is not None
    result = finished.result or {}
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(job_file(finished, result["file"]), out)
    shutil.copyfile(
        job_file(finished, result["manifest"]), out.with_name(out.name + ".manifest.json")
    )
    click.echo(f"{result['rows']} rows, total {result['total']}")
    click.echo(f"sha256 {result['sha256']}  manifest {out.name}.manifest.json")


@cli.command("pay")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.option("--batch-size", default=100, show_default=True, type=click.IntRange(1, 1000))
def pay_command(cycle_id: int, batch_size: int) -> None:
    """Pay an approved cash cycle by mobile money (Africa's Talking B2C); safe to re-run."""
    finished = run_as_job(PAY, {"cycle_id": cycle_id}, queue=False, who="kinga payments pay")
    assert finished is not None
    result = finished.result or {}
    click.echo(
        f"submitted {result['submitted']}, accepted {result['accepted']}, "
        f"refused {result['refused']}, no phone {result['no_phone']}, "
        f"unanswered batches {result['unanswered']}"
    )
    if result["unanswered"]:
        sys.exit(1)


@cli.command("reconcile")
@click.option("--cycle", "cycle_id", required=True, type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def reconcile_command(cycle_id: int, file: Path) -> None:
    """Apply a provider's results file (reference,status,amount,paid_at,provider_reference)."""
    path = store_upload(file.read_bytes())
    try:
        finished = run_as_job(
            RECONCILE,
            {"cycle_id": cycle_id, "file": str(path), "filename": file.name},
            queue=False,
            who="kinga payments reconcile",
        )
    except click.ClickException as exc:
        raise click.ClickException(f"refused, nothing applied: {exc.message}") from exc
    assert finished is not None
    result = finished.result or {}
    if result.get("already_imported"):
        click.echo("this file was imported before: nothing changed")
    click.echo(
        f"rows {result['rows']}  matched {result['matched']}  paid {result['paid']}  "
        f"partly paid {result['partly_paid']}  failed {result['failed']}  "
        f"amount mismatches {result['mismatches']}  unknown references {result['unknown']}  "
        f"duplicate rows {result['duplicates']}  unchanged {result['unchanged']}"
    )
    with command_session() as session:
        item = session.scalar(
            select(ReconciliationImport)
            .where(ReconciliationImport.cycle_id == cycle_id)
            .order_by(ReconciliationImport.id.desc())
        )
        report = ReconciliationReport.from_dict(item.report) if item else ReconciliationReport()
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
