"""`kinga programs`: load program files, list programs, simulate and apply rule sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from registry.i18n import translate
from registry.origin import Origin
from registry.programs.enrollment import check_can_apply
from registry.programs.jobs import APPLY, SIMULATE
from registry.programs.loader import load_program, read_program_file
from registry.programs.models import DECISION_LABELS, Decision, RuleSetStatus
from registry.programs.reasons import AreaNames, render_reason, render_rule_error
from registry.programs.rules import RuleDocumentError
from registry.programs.rulesets import get_version
from registry.programs.service import get_program, list_programs
from registry.programs.simulate import Simulation
from registry.programs.simulation_report import simulation_from_json
from webapp.cli.common import command_session, run_as_job


@click.group("programs", cls=AppGroup)
def cli() -> None:
    """Programs, their rules and enrollment."""


def _rule_failure(exc: RuleDocumentError) -> click.ClickException:
    return click.ClickException(render_rule_error(exc, "en"))


@cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(file: Path) -> None:
    """Load a program and its rules from a YAML or JSON file."""
    try:
        with command_session() as session:
            result = load_program(
                session,
                read_program_file(file),
                origin=Origin.cli("kinga programs load"),
                today=date.today(),
            )
            program = result.program
            version = result.rule_set.version if result.rule_set else None
            active = program.active_rule_set
    except RuleDocumentError as exc:
        raise _rule_failure(exc) from exc
    verb = "created" if result.created else "updated"
    rules = f"rules version {version} added" if version else "rules unchanged"
    live = f"active version {active.version}" if active else "no active version"
    click.echo(f"{verb} program {program.code}: {rules}; {live}")


@cli.command("list")
def list_command() -> None:
    """Programs with their kind, status and rule versions."""
    with command_session() as session:
        for program in list_programs(session):
            versions = ", ".join(f"v{r.version} {r.status}" for r in program.rule_sets)
            click.echo(
                f"{program.code:8} {program.kind:8} {program.status:7} "
                f"{program.name_in('en')} [{versions}]"
            )


def _money(value: object) -> str:
    return f"{value:,.0f}"


def format_simulation(result: Simulation, language: str, areas: AreaNames) -> list[str]:
    program, rule_set = result.program, result.rule_set
    where = f" in {result.area.code}" if result.area else ""
    lines = [
        f"{program.code} rules version {rule_set.version} ({rule_set.status}){where}: "
        f"{result.evaluated} households evaluated in {result.seconds:.2f}s",
    ]
    for decision in Decision:
        lines.append(
            f"  {translate(language, DECISION_LABELS[decision])}: {result.decisions[decision]}"
        )
    lines.append(f"  currently enrolled: {result.currently_in}")
    lines.append(f"  newly in: {result.newly_in}   newly out: {result.newly_out}")
    lines.append(f"yearly cost per region ({program.currency}) vs budget:")
    for cost in result.costs:
        flag = "  OVER BUDGET" if cost.over_budget else ""
        sources = ", ".join(cost.funding_sources) or "-"
        lines.append(
            f"  {cost.area.code:8} {cost.eligible:7} households"
            f"  cost {_money(cost.yearly_cost):>14}"
            f"  budget {_money(cost.budget):>14} ({sources}){flag}"
        )
    lines.append(
        f"  {'total':8} {result.eligible:7} households  cost {_money(result.total_cost):>14}"
        f"  budget {_money(result.total_budget):>14}"
    )
    for title, examples in (("newly in", result.examples_in), ("newly out", result.examples_out)):
        lines.append(f"examples {title}:")
        for example in examples:
            lines.append(
                f"  {example.household_number} {example.area_code}: "
                + render_reason(example.reason, language, areas)
            )
        if not examples:
            lines.append("  none")
    return lines


@cli.command("simulate")
@click.argument("code")
@click.option("--area", "area_code", default=None, help="Only households in this area.")
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Rule version (default: the newest draft, else the active one).",
)
@click.option("--language", default="en", show_default=True)
@click.option("--queue", is_flag=True, help="Leave the job to `kinga worker` instead of waiting.")
def simulate_command(
    code: str, area_code: str | None, version: int | None, language: str, queue: bool
) -> None:
    """Run rules over the registry without changing anything, and report (a job)."""
    with command_session() as session:
        program = get_program(session, code)
        if version is not None:
            rule_set = get_version(program, version)
        else:
            drafts = [r for r in program.rule_sets if r.status == RuleSetStatus.DRAFT]
            rule_set = drafts[-1] if drafts else program.active_rule_set
        if rule_set is None:
            raise click.ClickException(f"program {program.code} has no rules yet")
        params = {
            "program": program.code,
            "version": rule_set.version,
            "area": area_code,
            "today": date.today().isoformat(),
        }
    finished = run_as_job(SIMULATE, params, queue=queue, who="kinga programs simulate")
    if finished is None:
        return
    with command_session() as session:
        program = get_program(session, code)
        rule_set = get_version(program, int(params["version"]))  # type: ignore[call-overload]
        result = simulation_from_json(session, program, rule_set, finished.result or {})
        for line in format_simulation(result, language, AreaNames(session)):
            click.echo(line)


@cli.command("apply")
@click.argument("code")
@click.option("--queue", is_flag=True, help="Leave the job to `kinga worker` instead of waiting.")
def apply_command(code: str, queue: bool) -> None:
    """Decide every household with the program's active rules (enrollment, a job)."""
    with command_session() as session:
        program = get_program(session, code)
        check_can_apply(program)
        code = program.code
    params = {"program": code, "today": date.today().isoformat()}
    finished = run_as_job(APPLY, params, queue=queue, who="kinga programs apply")
    if finished is None:
        return
    r = finished.result or {}
    click.echo(
        f"{code}: {r['evaluated']} households decided; "
        f"eligible {r['eligible']}, not eligible {r['not_eligible']}, "
        f"needs review {r['needs_review']}; status changes: {r['changes']}; "
        f"overrides kept {r['kept_overrides']}; SMS queued {r['sms']}"
    )
