"""`kinga programs load FILE`: a program, its areas, budgets, payment rounds and rules from a file.

Loading the same program again updates its names, areas, budgets and payment rounds and adds a
new rule version only when the rules differ from the latest one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.errors import InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.programs.models import (
    PlannedPayment,
    Program,
    ProgramBudget,
    ProgramKind,
    ProgramStatus,
    RuleSet,
    RuleSetStatus,
)
from registry.programs.rules import RuleDocumentError
from registry.programs.rulesets import (
    activate,
    create_draft,
    dump_rules,
    parse_rules_source,
    refuse_aliases,
)


@dataclass(frozen=True)
class LoadResult:
    program: Program
    rule_set: RuleSet | None  # the version added, if any
    created: bool


def read_program_file(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            refuse_aliases(text)
            data = yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(N_("The file cannot be read: %(problem)s"), problem=str(exc)) from exc
    if not isinstance(data, dict):
        raise InvalidInput(N_("The file must describe one program."))
    return data


def _require(data: dict[str, Any], key: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise InvalidInput(N_("The program file needs “%(key)s”."), key=key)
    return data[key]


def _areas(session: Session, codes: list[str]) -> list[Area]:
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    missing = [code for code in codes if code not in found]
    if missing:
        raise InvalidInput(N_("Unknown area code %(code)s."), code=missing[0])
    return [found[code] for code in codes]


def _date(value: Any, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput(N_("“%(key)s” must be a date like 2026-12-31."), key=key) from exc


def load_program(
    session: Session, data: dict[str, Any], *, origin: Origin, today: date
) -> LoadResult:
    code = str(_require(data, "code")).strip().upper()
    kind = str(_require(data, "kind"))
    if kind not in ProgramKind.__members__.values():
        raise InvalidInput(N_("“kind” must be cash, in_kind or service."))
    status = str(data.get("status", ProgramStatus.DRAFT))
    if status not in ProgramStatus.__members__.values():
        raise InvalidInput(N_("“status” must be draft, active, paused or closed."))
    names = _require(data, "names")
    if not isinstance(names, dict) or not names.get("en"):
        raise InvalidInput(N_("“names” needs at least an English name."))
    program = session.scalar(select(Program).where(Program.code == code))
    created = program is None
    if program is None:
        program = Program(code=code, kind=kind)
        session.add(program)
    program.kind = kind
    program.status = status
    program.names = {str(k): str(v) for k, v in names.items()}
    program.descriptions = {str(k): str(v) for k, v in (data.get("descriptions") or {}).items()}
    program.currency = str(data.get("currency", "KES"))[:3]
    program.payments_per_year = int(data.get("payments_per_year", 12))
    program.areas = _areas(session, [str(c) for c in _require(data, "areas")])
    session.flush()
    _load_budgets(session, program, data.get("budgets") or [])
    _load_payments(session, program, data.get("payments") or [])
    rule_set = _load_rules(session, program, data, origin=origin, today=today)
    record(
        session,
        origin,
        "program.load",
        target_type="program",
        target_id=code,
        details={"created": created, "version": rule_set.version if rule_set else None},
    )
    return LoadResult(program, rule_set, created)


def _load_budgets(session: Session, program: Program, budgets: list[Any]) -> None:
    program.budgets.clear()
    session.flush()
    for raw in budgets:
        area = _areas(session, [str(raw["area"])])[0]
        program.budgets.append(
            ProgramBudget(
                area_id=area.id,
                funding_source=str(raw.get("funding_source", "")),
                amount=Decimal(str(raw["amount"])),
                year=int(raw.get("year", date.today().year)),
            )
        )


def _load_payments(session: Session, program: Program, payments: list[Any]) -> None:
    existing = list(
        session.scalars(select(PlannedPayment).where(PlannedPayment.program_id == program.id))
    )
    for payment in existing:
        session.delete(payment)
    for raw in payments:
        area_id = _areas(session, [str(raw["area"])])[0].id if raw.get("area") else None
        session.add(
            PlannedPayment(
                program_id=program.id,
                area_id=area_id,
                due_date=_date(raw.get("due"), "due"),
                label=str(raw.get("label", "")),
            )
        )
    session.flush()


def _load_rules(
    session: Session, program: Program, data: dict[str, Any], *, origin: Origin, today: date
) -> RuleSet | None:
    rules = data.get("rules")
    if rules is None:
        return None
    source = rules if isinstance(rules, str) else dump_rules(rules)
    document = parse_rules_source(source)
    latest = program.rule_sets[-1] if program.rule_sets else None
    if latest is not None and latest.document == document:
        rule_set = latest
    else:
        rule_set = create_draft(
            session,
            program,
            source=source,
            reason=str(data.get("rules_reason") or "Loaded from a program file"),
            effective_from=_date(data.get("effective_from", today.isoformat()), "effective_from"),
            origin=origin,
        )
    if data.get("activate_rules") and rule_set.status == RuleSetStatus.DRAFT:
        activate(session, rule_set, origin=origin, today=today)
    return rule_set if rule_set is not latest else None


__all__ = ["LoadResult", "RuleDocumentError", "load_program", "read_program_file"]
