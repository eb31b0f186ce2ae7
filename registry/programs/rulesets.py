"""Rule set versions: write a draft, edit it, check it, switch it on. Versions are never deleted."""

from __future__ import annotations

import time
from datetime import date
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.programs.models import Program, RuleSet, RuleSetStatus
from registry.programs.population import iter_population
from registry.programs.rules import CompiledRules, RuleDocumentError, compile_rules

DRY_RUN_HOUSEHOLDS = 2000
# Per household: a busy machine stays far below this; a runaway rule does not.
DRY_RUN_MAX_MICROSECONDS = 50_000
DRY_RUN_MIN_FOR_TIMING = 200


def parse_rules_source(source: str) -> dict[str, Any]:
    """The rule document written in YAML (JSON is YAML too); errors point at line and column."""
    try:
        refuse_aliases(source)
        document = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc)
        error = RuleDocumentError(
            "rules", msgid=N_("the text cannot be read: %(problem)s"), problem=problem
        )
        if mark is not None:
            error.line, error.column = mark.line + 1, mark.column + 1
        raise error from exc
    if not isinstance(document, dict):
        raise RuleDocumentError("rules", msgid=N_("expected a section with keys"))
    return document


def refuse_aliases(source: str) -> None:
    """YAML aliases can make a few lines expand to gigabytes: rules never need them."""
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (*name) are not allowed", problem_mark=event.start_mark
            )


def check_rules(source: str) -> CompiledRules:
    return compile_rules(parse_rules_source(source))


@lru_cache(maxsize=64)
def _compiled(rule_set_id: int, source: str) -> CompiledRules:
    return check_rules(source)


def compiled(rule_set: RuleSet) -> CompiledRules:
    """Compiled once per version (and per edit of a draft), evaluated many times."""
    return _compiled(rule_set.id, rule_set.source)


def dump_rules(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput(N_("Say why this version is made (a few words)."), field="reason")
    return reason


def create_draft(
    session: Session,
    program: Program,
    *,
    source: str,
    reason: str,
    effective_from: date,
    origin: Origin,
) -> RuleSet:
    """A new version, as a draft. Its rules must already parse and check."""
    rules = check_rules(source)
    version = (
        session.scalar(select(func.max(RuleSet.version)).where(RuleSet.program_id == program.id))
        or 0
    ) + 1
    rule_set = RuleSet(
        program_id=program.id,
        version=version,
        status=RuleSetStatus.DRAFT,
        source=source,
        document=rules.document,
        reason=_check_reason(reason),
        effective_from=effective_from,
        author_id=origin.actor_id,
        author_name=origin.actor_name or "system",
    )
    session.add(rule_set)
    session.flush()
    session.expire(program, ["rule_sets"])
    record(
        session,
        origin,
        "ruleset.create",
        target_type="program",
        target_id=program.code,
        details={"version": version, "reason": rule_set.reason},
    )
    return rule_set


def update_draft(
    session: Session,
    rule_set: RuleSet,
    *,
    source: str,
    reason: str,
    effective_from: date,
    origin: Origin,
) -> RuleSet:
    if rule_set.status != RuleSetStatus.DRAFT:
        raise Conflict(N_("Only a draft can be edited; make a new version instead."))
    rules = check_rules(source)
    rule_set.source = source
    rule_set.document = rules.document
    rule_set.reason = _check_reason(reason)
    rule_set.effective_from = effective_from
    rule_set.author_id = origin.actor_id
    rule_set.author_name = origin.actor_name or "system"
    session.flush()
    record(
        session,
        origin,
        "ruleset.edit",
        target_type="program",
        target_id=rule_set.program.code,
        details={"version": rule_set.version, "reason": rule_set.reason},
    )
    return rule_set


def dry_run(session: Session, program: Program, rules: CompiledRules, today: date) -> None:
    """Runs the rules on real households before switching on: any failure or slowness refuses."""
    paths = [area.path for area in program.areas]
    spent = 0.0
    count = 0
    for row in iter_population(session, paths, today, chunk=DRY_RUN_HOUSEHOLDS):
        started = time.perf_counter()
        try:
            rules.evaluate(row.facts)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise RuleDocumentError(
                "rules",
                msgid=N_("the rules fail on household %(number)s: %(problem)s"),
                number=row.number,
                problem=type(exc).__name__,
            ) from exc
        spent += time.perf_counter() - started
        count += 1
        if count >= DRY_RUN_HOUSEHOLDS:
            break
    # Too few households say nothing about speed (one pause of the machine dominates them).
    if count >= DRY_RUN_MIN_FOR_TIMING and spent * 1_000_000 / count > DRY_RUN_MAX_MICROSECONDS:
        raise RuleDocumentError("rules", msgid=N_("the rules are too slow to run on the registry"))


def activate(session: Session, rule_set: RuleSet, *, origin: Origin, today: date) -> RuleSet:
    """Switches a checked draft on; the version it replaces is kept as superseded."""
    if rule_set.status != RuleSetStatus.DRAFT:
        raise Conflict(N_("Only a draft can be switched on."))
    if rule_set.effective_from > today:
        raise Conflict(
            N_("This version takes effect on %(date)s; it can be switched on from that day."),
            date=rule_set.effective_from.isoformat(),
        )
    rules = check_rules(rule_set.source)
    program = rule_set.program
    dry_run(session, program, rules, today)
    for other in program.rule_sets:
        if other.status == RuleSetStatus.ACTIVE:
            other.status = RuleSetStatus.SUPERSEDED
    rule_set.status = RuleSetStatus.ACTIVE
    rule_set.activated_at = utcnow()
    rule_set.activated_by = origin.actor_name or "system"
    session.flush()
    record(
        session,
        origin,
        "ruleset.activate",
        target_type="program",
        target_id=program.code,
        details={"version": rule_set.version},
    )
    return rule_set


def get_version(program: Program, version: int) -> RuleSet:
    from registry.errors import NotFound

    found = next((r for r in program.rule_sets if r.version == version), None)
    if found is None:
        raise NotFound(N_("No such version of this program."))
    return found
