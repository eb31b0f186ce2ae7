"""Run a rule set over the registry (or one area) without changing anything, and report."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.errors import NotFound
from registry.i18n import N_
from registry.programs.models import Decision, Enrollment, EnrollmentStatus, Program, RuleSet
from registry.programs.population import iter_population
from registry.programs.rulesets import compiled

EXAMPLES = 10
IN = (EnrollmentStatus.ENROLLED, EnrollmentStatus.SUSPENDED)


@dataclass(frozen=True)
class Example:
    household_number: str
    area_code: str
    decision: str
    reason: tuple[tuple[str, dict[str, Any]], ...]


@dataclass
class AreaCost:
    area: Area
    eligible: int = 0
    yearly_cost: Decimal = Decimal(0)
    budget: Decimal = Decimal(0)
    funding_sources: list[str] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return self.budget > 0 and self.yearly_cost > self.budget


@dataclass
class Simulation:
    program: Program
    rule_set: RuleSet
    area: Area | None
    evaluated: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    currently_in: int = 0
    newly_in: int = 0
    newly_out: int = 0
    costs: list[AreaCost] = field(default_factory=list)
    examples_in: list[Example] = field(default_factory=list)
    examples_out: list[Example] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_cost(self) -> Decimal:
        return sum((c.yearly_cost for c in self.costs), Decimal(0))

    @property
    def total_budget(self) -> Decimal:
        return sum((c.budget for c in self.costs), Decimal(0))

    @property
    def eligible(self) -> int:
        return self.decisions[Decision.ELIGIBLE]


def program_paths(program: Program, area: Area | None) -> list[str]:
    paths = [a.path for a in program.areas]
    if area is None:
        return paths
    inside = [area.path for p in paths if area.path.startswith(p)]
    return inside[:1] or [p for p in paths if p.startswith(area.path)]


def simulate(
    session: Session,
    program: Program,
    rule_set: RuleSet,
    *,
    today: date,
    area_code: str | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> Simulation:
    """Read-only: nothing is written, audited or queued; the session is left as it was.

    `progress(evaluated)` is called every `every` households (a job's progress bar).
    """
    started = time.perf_counter()
    area = None
    if area_code:
        area = session.scalar(select(Area).where(Area.code == area_code))
        if area is None:
            raise NotFound(N_("Unknown area code %(code)s."), code=area_code)
    rules = compiled(rule_set)
    current = set(
        session.scalars(
            select(Enrollment.household_id).where(
                Enrollment.program_id == program.id, Enrollment.status.in_(IN)
            )
        )
    )
    result = Simulation(program, rule_set, area)
    regions = {a.code: a for a in session.scalars(select(Area).where(Area.level == 1))}
    costs: dict[str, AreaCost] = {}
    per_year = Decimal(program.payments_per_year)
    for row in iter_population(session, program_paths(program, area), today):
        outcome = rules.evaluate(row.facts)
        result.evaluated += 1
        if progress is not None and result.evaluated % every == 0:
            progress(result.evaluated)
        result.decisions[outcome.decision] += 1
        was_in = row.household_id in current
        result.currently_in += was_in
        region = row.facts["region"]
        if outcome.decision == Decision.ELIGIBLE:
            cost = costs.get(region) or costs.setdefault(region, AreaCost(regions[region]))
            cost.eligible += 1
            if outcome.amount is not None:
                cost.yearly_cost += outcome.amount * per_year
            if not was_in:
                result.newly_in += 1
                _example(result.examples_in, row, outcome)
        elif outcome.decision == Decision.NOT_ELIGIBLE and was_in:
            result.newly_out += 1
            _example(result.examples_out, row, outcome)
    for budget in program.budgets:
        region_code = budget.area.path.split("/")[1] if budget.area.level >= 1 else None
        if region_code is None or region_code not in regions:
            continue
        if area is not None and not (
            budget.area.path.startswith(area.path) or area.path.startswith(budget.area.path)
        ):
            continue
        cost = costs.setdefault(region_code, AreaCost(regions[region_code]))
        cost.budget += budget.amount
        if budget.funding_source not in cost.funding_sources:
            cost.funding_sources.append(budget.funding_source)
    result.costs = sorted(costs.values(), key=lambda c: c.area.path)
    result.seconds = time.perf_counter() - started
    return result


def _example(examples: list[Example], row: Any, outcome: Any) -> None:
    if len(examples) < EXAMPLES:
        examples.append(Example(row.number, row.facts["area"], outcome.decision, outcome.reason))
