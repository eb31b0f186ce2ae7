"""Simulation and enrollment as jobs: at national size they take far longer than a request."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.origin import Channel
from registry.programs.enrollment import apply_rule_set
from registry.programs.population import count_population
from registry.programs.rulesets import get_version
from registry.programs.service import get_program
from registry.programs.simulate import program_paths, simulate, within_scope
from registry.programs.simulation_report import simulation_to_json
from registry.users.roles import Permission, can

SIMULATE = "programs.simulate"
APPLY = "programs.apply"


@job(
    SIMULATE,
    title=N_("Simulate a rule version"),
    permission=Permission.PROGRAM_VIEW,
    result_labels={
        "evaluated": N_("households evaluated"),
        "eligible": N_("Eligible"),
        "not_eligible": N_("Not eligible"),
        "needs_review": N_("Needs review"),
        "currently_in": N_("currently enrolled"),
        "newly_in": N_("newly in"),
        "newly_out": N_("newly out"),
        "yearly_cost": N_("Yearly cost"),
        "seconds": N_("seconds"),
    },
)
def simulate_job(
    ctx: JobContext, *, program: str, version: int, today: str, area: str | None = None
) -> dict[str, Any]:
    """Read-only, so a retry simply starts again."""
    found = get_program(ctx.session, program)
    rule_set = get_version(found, version)
    total = count_population(ctx.session, _paths_for(ctx, found, area))
    ctx.progress(0, total)
    result = simulate(
        ctx.session,
        found,
        rule_set,
        today=date.fromisoformat(today),
        area_code=area,
        scope=ctx.scope,
        with_examples=_may_see_households(ctx),
        progress=lambda done: ctx.progress(done, total),
    )
    ctx.progress(result.evaluated, total)
    return simulation_to_json(result)


def _may_see_households(ctx: JobContext) -> bool:
    """Household examples for roles that view households, and for the operator at the shell
    (`kinga programs simulate` without `--user`, who holds the database anyway)."""
    operator = ctx.origin.channel == Channel.CLI and ctx.origin.actor_id is None
    return operator or can(ctx.origin.roles, Permission.HOUSEHOLD_VIEW)


def _paths_for(ctx: JobContext, program: Any, area_code: str | None) -> list[str]:
    from sqlalchemy import select

    from registry.areas.models import Area

    area = ctx.session.scalar(select(Area).where(Area.code == area_code)) if area_code else None
    return within_scope(program_paths(program, area), ctx.scope)


@job(
    APPLY,
    title=N_("Apply the active rules (enrollment)"),
    permission=Permission.PROGRAM_MANAGE,
    result_labels={
        "evaluated": N_("households evaluated"),
        "eligible": N_("Eligible"),
        "not_eligible": N_("Not eligible"),
        "needs_review": N_("Needs review"),
        "changes": N_("changes of status"),
        "kept_overrides": N_("overrides kept"),
        "sms": N_("SMS queued"),
    },
)
def apply_job(ctx: JobContext, *, program: str, today: str, every: int = 2000) -> dict[str, Any]:
    """Commits every chunk; a retry skips households already decided (nothing twice)."""
    found = get_program(ctx.session, program)
    total = count_population(ctx.session, [a.path for a in found.areas])
    ctx.progress(0, total)
    result = apply_rule_set(
        ctx.session,
        found,
        origin=ctx.origin,
        today=date.fromisoformat(today),
        checkpoint=lambda done: ctx.progress(done, total),
        every=max(1, int(every)),
    )
    ctx.progress(result.evaluated, total)
    return {
        "evaluated": result.evaluated,
        "eligible": result.decisions["eligible"],
        "not_eligible": result.decisions["not_eligible"],
        "needs_review": result.decisions["needs_review"],
        "changes": sum(result.changes.values()),
        "kept_overrides": result.kept_overrides,
        "sms": result.messages,
    }
