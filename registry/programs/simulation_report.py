"""A simulation kept as JSON (a job's result) and read back for the page and the CLI."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.programs.models import Program, RuleSet
from registry.programs.simulate import AreaCost, Example, Simulation


def _example_json(example: Example) -> dict[str, Any]:
    return {
        "number": example.household_number,
        "area": example.area_code,
        "decision": example.decision,
        "reason": [[msgid, params] for msgid, params in example.reason],
    }


def simulation_to_json(result: Simulation) -> dict[str, Any]:
    """Scalars first (the job page shows them), then the detail the simulation page draws."""
    return {
        "evaluated": result.evaluated,
        "eligible": result.decisions["eligible"],
        "not_eligible": result.decisions["not_eligible"],
        "needs_review": result.decisions["needs_review"],
        "currently_in": result.currently_in,
        "newly_in": result.newly_in,
        "newly_out": result.newly_out,
        "yearly_cost": str(result.total_cost),
        "seconds": round(result.seconds, 2),
        "detail": {
            "program": result.program.code,
            "version": result.rule_set.version,
            "area": result.area.code if result.area else None,
            "decisions": dict(result.decisions),
            "costs": [
                {
                    "area": cost.area.code,
                    "eligible": cost.eligible,
                    "yearly_cost": str(cost.yearly_cost),
                    "budget": str(cost.budget),
                    "funding_sources": list(cost.funding_sources),
                }
                for cost in result.costs
            ],
            "examples_in": [_example_json(e) for e in result.examples_in],
            "examples_out": [_example_json(e) for e in result.examples_out],
        },
    }


def _example(data: dict[str, Any]) -> Example:
    reason = tuple((msgid, dict(params)) for msgid, params in data["reason"])
    return Example(data["number"], data["area"], data["decision"], reason)


def simulation_from_json(
    session: Session, program: Program, rule_set: RuleSet, data: dict[str, Any]
) -> Simulation:
    detail = data["detail"]
    codes = {c["area"] for c in detail["costs"]} | ({detail["area"]} if detail["area"] else set())
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    result = Simulation(program, rule_set, areas.get(detail["area"]) if detail["area"] else None)
    result.evaluated = data["evaluated"]
    result.decisions = Counter(detail["decisions"])
    result.currently_in = data["currently_in"]
    result.newly_in, result.newly_out = data["newly_in"], data["newly_out"]
    result.costs = [
        AreaCost(
            area=areas[c["area"]],
            eligible=c["eligible"],
            yearly_cost=Decimal(c["yearly_cost"]),
            budget=Decimal(c["budget"]),
            funding_sources=list(c["funding_sources"]),
        )
        for c in detail["costs"]
        if c["area"] in areas
    ]
    result.examples_in = [_example(e) for e in detail["examples_in"]]
    result.examples_out = [_example(e) for e in detail["examples_out"]]
    result.seconds = float(data["seconds"])
    return result
