"""A rule set document (conditions, proxy means test, benefit) compiled once, run per household.

Document shape (YAML or JSON, see docs/programs.md):

    conditions: ["children_under_5 >= 1", ...]       # all must hold
    review: ["head_age < 16"]                         # any true -> needs review
    pmt: {intercept: 60, cutoff: 40, review_margin: 2,
          indicators: [{name: crowding, expression: "size / 2", weight: -3}],
          regional_weights: {KG-PW: {crowding: -4}}}
    benefit: {type: per_member, amount: 500, count: "children_under_18", cap: 2000}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from registry.i18n import N_
from registry.programs.expr import Expression, RuleError, Type, compile_expression
from registry.programs.facts import FIELD_TYPES, fact_phrase_parts

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"
BENEFIT_TYPES = ("fixed", "per_member", "in_kind", "service")
NUMERIC = (Type.NUMBER, Type.BOOL)

ReasonPart = tuple[str, dict[str, Any]]


class RuleDocumentError(Exception):
    """A refused rule document; `where` names the rule, `error` the place inside it."""

    def __init__(self, where: str, error: RuleError | None = None, msgid: str = "", **params: Any):
        self.where = where
        self.error = error
        self.msgid = error.msgid if error else msgid
        self.params = error.params if error else params
        self.line = error.line if error else None
        self.column = error.column if error else None
        text = str(error) if error else msgid % params
        super().__init__(f"{where}: {text}")


@dataclass(frozen=True)
class Indicator:
    name: str
    expression: Expression
    weight: float


@dataclass(frozen=True)
class Item:
    names: dict[str, str]
    quantity: float
    unit: str
    per_member: bool


@dataclass(frozen=True)
class Benefit:
    type: str
    amount: Decimal = Decimal(0)
    count: Expression | None = None
    cap: Decimal | None = None
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Pmt:
    intercept: float
    cutoff: float
    review_margin: float
    indicators: tuple[Indicator, ...]
    regional_weights: dict[str, dict[str, float]]


@dataclass(frozen=True)
class Outcome:
    decision: str
    reason: tuple[ReasonPart, ...]
    score: float | None = None
    amount: Decimal | None = None
    items: tuple[tuple[Item, float], ...] = ()


@dataclass(frozen=True)
class CompiledRules:
    conditions: tuple[Expression, ...]
    review: tuple[Expression, ...]
    pmt: Pmt | None
    benefit: Benefit
    document: dict[str, Any] = field(default_factory=dict)

    def evaluate(self, facts: Mapping[str, Any]) -> Outcome:
        """The decision for one household's facts, with its reason and benefit."""
        if facts["registration"] != "active":
            return Outcome(NEEDS_REVIEW, ((N_("registration is not yet verified"), {}),))
        for rule in self.review:
            if rule.evaluate(facts):
                return Outcome(NEEDS_REVIEW, _explain(rule, facts))
        failed = next((rule for rule in self.conditions if not rule.evaluate(facts)), None)
        if failed is not None:
            return Outcome(NOT_ELIGIBLE, _explain(failed, facts))
        reason: list[ReasonPart] = []
        for rule in self.conditions:
            reason.extend(p for p in _explain(rule, facts) if p not in reason)
        score = None
        if self.pmt is not None:
            score = self.score(facts)
            pmt = self.pmt
            params = {"score": _short(score), "cutoff": _short(pmt.cutoff)}
            if abs(score - pmt.cutoff) < pmt.review_margin:
                params["margin"] = _short(pmt.review_margin)
                part = N_("income score %(score)s is within %(margin)s of the cut-off %(cutoff)s")
                return Outcome(NEEDS_REVIEW, (*reason, (part, params)), score)
            if score >= pmt.cutoff:
                part = N_("income score %(score)s is not below %(cutoff)s")
                return Outcome(NOT_ELIGIBLE, ((part, params),), score)
            reason.append((N_("income score %(score)s is below %(cutoff)s"), params))
        amount, items = self.benefit_for(facts)
        return Outcome(ELIGIBLE, tuple(reason), score, amount, items)

    def score(self, facts: Mapping[str, Any]) -> float:
        assert self.pmt is not None
        total = self.pmt.intercept
        for weight, value in zip(self._weights(facts["region"]), self._values, strict=True):
            total += weight * value(facts)
        return round(total, 2)

    @cached_property
    def _values(self) -> tuple[Any, ...]:
        assert self.pmt is not None
        return tuple(indicator.expression.evaluate for indicator in self.pmt.indicators)

    def _weights(self, region: str) -> tuple[float, ...]:
        """The indicator weights in a region, worked out once per region."""
        cache = self._weight_cache
        if region not in cache:
            assert self.pmt is not None
            changes = self.pmt.regional_weights.get(region, {})
            cache[region] = tuple(changes.get(i.name, i.weight) for i in self.pmt.indicators)
        return cache[region]

    @cached_property
    def _weight_cache(self) -> dict[str, tuple[float, ...]]:
        return {}

    def benefit_for(self, facts: Mapping[str, Any]) -> tuple[Decimal | None, tuple[Any, ...]]:
        benefit = self.benefit
        if benefit.type == "fixed":
            return benefit.amount, ()
        if benefit.type == "per_member":
            count = benefit.count.evaluate(facts) if benefit.count else facts["size"]
            amount = benefit.amount * Decimal(str(count))
            if benefit.cap is not None:
                amount = min(amount, benefit.cap)
            return amount.quantize(Decimal("0.01"), ROUND_HALF_UP), ()
        if benefit.type == "in_kind":
            size = facts["size"]
            return None, tuple(
                (item, item.quantity * size if item.per_member else item.quantity)
                for item in benefit.items
            )
        return None, ()


def _short(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _explain(rule: Expression, facts: Mapping[str, Any]) -> tuple[ReasonPart, ...]:
    parts: list[ReasonPart] = []
    for name in rule.fields:
        part = fact_phrase_parts(name, facts)
        if part not in parts:
            parts.append(part)
    return tuple(parts)


def _expression(where: str, source: Any, expected: Type | tuple[Type, ...]) -> Expression:
    if not isinstance(source, str | int | float) or isinstance(source, bool):
        raise RuleDocumentError(where, msgid=N_("a rule must be written as text"))
    try:
        return compile_expression(str(source), FIELD_TYPES, expected)
    except RuleError as exc:
        raise RuleDocumentError(where, exc) from exc


def _number(where: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleDocumentError(where, msgid=N_("a number is needed"))
    if positive and value < 0:
        raise RuleDocumentError(where, msgid=N_("the number cannot be negative"))
    return float(value)


def _money(where: str, value: Any) -> Decimal:
    return Decimal(str(_number(where, value, positive=True))).quantize(Decimal("0.01"))


def _pmt(document: Any) -> Pmt | None:
    if document is None:
        return None
    if not isinstance(document, dict):
        raise RuleDocumentError("pmt", msgid=N_("expected a section with keys"))
    indicators = []
    names: set[str] = set()
    for index, raw in enumerate(document.get("indicators") or [], start=1):
        where = f"pmt.indicators[{index}]"
        if not isinstance(raw, dict) or "expression" not in raw or "weight" not in raw:
            raise RuleDocumentError(
                where, msgid=N_("an indicator needs an expression and a weight")
            )
        name = str(raw.get("name") or f"indicator_{index}")
        if name in names:
            raise RuleDocumentError(where, msgid=N_("two indicators have the same name"))
        names.add(name)
        expression = _expression(f"{where} ({name})", raw["expression"], NUMERIC)
        indicators.append(Indicator(name, expression, _number(where, raw["weight"])))
    regional: dict[str, dict[str, float]] = {}
    for region, weights in (document.get("regional_weights") or {}).items():
        where = f"pmt.regional_weights.{region}"
        if not isinstance(weights, dict):
            raise RuleDocumentError(where, msgid=N_("expected a section with keys"))
        unknown = [name for name in weights if name not in names]
        if unknown:
            raise RuleDocumentError(
                where, msgid=N_("no indicator is called “%(name)s”"), name=unknown[0]
            )
        regional[str(region)] = {str(k): _number(where, v) for k, v in weights.items()}
    if "cutoff" not in document:
        raise RuleDocumentError("pmt.cutoff", msgid=N_("a number is needed"))
    return Pmt(
        intercept=_number("pmt.intercept", document.get("intercept", 0)),
        cutoff=_number("pmt.cutoff", document["cutoff"]),
        review_margin=_number("pmt.review_margin", document.get("review_margin", 0), positive=True),
        indicators=tuple(indicators),
        regional_weights=regional,
    )


def _benefit(document: Any) -> Benefit:
    if not isinstance(document, dict) or document.get("type") not in BENEFIT_TYPES:
        raise RuleDocumentError(
            "benefit.type", msgid=N_("choose one of: %(choices)s"), choices=", ".join(BENEFIT_TYPES)
        )
    kind = document["type"]
    if kind == "fixed":
        return Benefit(kind, _money("benefit.amount", document.get("amount")))
    if kind == "per_member":
        count = _expression("benefit.count", document.get("count", "size"), Type.NUMBER)
        cap = document.get("cap")
        return Benefit(
            kind,
            _money("benefit.amount", document.get("amount")),
            count,
            None if cap is None else _money("benefit.cap", cap),
        )
    items = []
    for index, raw in enumerate(document.get("items") or [], start=1):
        where = f"benefit.items[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("names"), dict):
            raise RuleDocumentError(where, msgid=N_("an item needs names and a quantity"))
        items.append(
            Item(
                names={str(k): str(v) for k, v in raw["names"].items()},
                quantity=_number(where, raw.get("quantity"), positive=True),
                unit=str(raw.get("unit", "")),
                per_member=bool(raw.get("per_member", False)),
            )
        )
    if kind == "in_kind" and not items:
        raise RuleDocumentError("benefit.items", msgid=N_("an in-kind benefit needs items"))
    return Benefit(kind, items=tuple(items))


def compile_rules(document: Any) -> CompiledRules:
    """Checks and compiles a whole rule document; the first problem raises RuleDocumentError."""
    if not isinstance(document, dict):
        raise RuleDocumentError("rules", msgid=N_("expected a section with keys"))
    known = {"conditions", "review", "pmt", "benefit"}
    unknown = sorted(set(document) - known)
    if unknown:
        raise RuleDocumentError(
            unknown[0],
            msgid=N_("unknown section; use %(choices)s"),
            choices=", ".join(sorted(known)),
        )
    conditions = tuple(
        _expression(f"conditions[{i}]", rule, Type.BOOL)
        for i, rule in enumerate(document.get("conditions") or [], start=1)
    )
    review = tuple(
        _expression(f"review[{i}]", rule, Type.BOOL)
        for i, rule in enumerate(document.get("review") or [], start=1)
    )
    return CompiledRules(
        conditions=conditions,
        review=review,
        pmt=_pmt(document.get("pmt")),
        benefit=_benefit(document.get("benefit")),
        document=document,
    )
