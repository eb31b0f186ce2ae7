"""Small pieces the program views share: lookups that 404, and the desk's display helpers."""

from __future__ import annotations

from typing import Any

from flask import abort

from registry.errors import NotFound
from registry.programs.models import Program, RuleSet
from registry.programs.rulesets import get_version
from registry.programs.service import get_program
from webapp.database import db


def program_or_404(code: str) -> Program:
    try:
        return get_program(db(), code)
    except NotFound:
        abort(404)


def version_or_404(program: Program, version: int) -> RuleSet:
    try:
        return get_version(program, version)
    except NotFound:
        abort(404)


def version_rows(rule_sets: list[RuleSet]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Rows of the side-by-side comparison: (label msgid, [(cell text, changed from left)])."""
    from registry.i18n import N_

    def cells(extract: Any) -> list[tuple[str, bool]]:
        values = [extract(r.document) for r in rule_sets]
        return [(v, i > 0 and v != values[i - 1]) for i, v in enumerate(values)]

    def pmt(doc: dict[str, Any], key: str) -> str:
        return str((doc.get("pmt") or {}).get(key, "—"))

    def indicators(doc: dict[str, Any]) -> str:
        items = (doc.get("pmt") or {}).get("indicators") or []
        return "\n".join(
            f"{i.get('name')}: {i.get('expression')} × {i.get('weight')}" for i in items
        )

    def regional(doc: dict[str, Any]) -> str:
        weights = (doc.get("pmt") or {}).get("regional_weights") or {}
        return "\n".join(
            f"{region}: " + ", ".join(f"{k} {v}" for k, v in values.items())
            for region, values in weights.items()
        )

    def benefit(doc: dict[str, Any]) -> str:
        data = dict(doc.get("benefit") or {})
        items = data.pop("items", None) or []
        lines = [f"{k}: {v}" for k, v in data.items()]
        lines += [
            f"{item.get('quantity')} {item.get('unit', '')} "
            f"{(item.get('names') or {}).get('en', '')}"
            + (" / member" if item.get("per_member") else "")
            for item in items
        ]
        return "\n".join(lines)

    return [
        (
            N_("Conditions (all must hold)"),
            cells(lambda d: "\n".join(map(str, d.get("conditions") or []))),
        ),
        (N_("Sent for review when"), cells(lambda d: "\n".join(map(str, d.get("review") or [])))),
        (N_("Income score starts at"), cells(lambda d: pmt(d, "intercept"))),
        (N_("Eligible below"), cells(lambda d: pmt(d, "cutoff"))),
        (N_("Review margin"), cells(lambda d: pmt(d, "review_margin"))),
        (N_("Indicators and weights"), cells(indicators)),
        (N_("Weights by region"), cells(regional)),
        (N_("Benefit"), cells(benefit)),
    ]
