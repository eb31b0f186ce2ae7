"""Property: compiled rules decide exactly as a plain Python reading of the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.programs.facts import household_facts
from registry.programs.rules import ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, compile_rules

TODAY = date(2026, 6, 30)
REGIONS = ("KG-PW", "KG-ZW", "KG-ML")


@dataclass(frozen=True)
class Someone:
    age: int
    sex: str
    disability: bool
    phone: bool


def reference_fields(people: list[Someone], region: str) -> dict[str, Any]:
    """The fields counted the obvious way, straight from the people (not via household_facts)."""
    head = people[0]
    return {
        "size": len(people),
        "children_under_5": len([p for p in people if p.age < 5]),
        "children_under_18": len([p for p in people if p.age < 18]),
        "working_age": len([p for p in people if 18 <= p.age < 60]),
        "elderly": len([p for p in people if p.age >= 60]),
        "disabled": len([p for p in people if p.disability]),
        "females": len([p for p in people if p.sex == "F"]),
        "head_age": head.age,
        "head_female": head.sex == "F",
        "has_phone": any(p.phone for p in people),
        "region": region,
    }


NUMERIC = ["size", "children_under_5", "children_under_18", "working_age", "elderly"]
NUMERIC += ["disabled", "females", "head_age"]
OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def comparisons() -> st.SearchStrategy[tuple[str, Any]]:
    def build(field: str, op: str, value: int) -> tuple[str, Any]:
        return f"{field} {op} {value}", lambda f: OPS[op](f[field], value)

    simple = st.builds(
        build, st.sampled_from(NUMERIC), st.sampled_from(list(OPS)), st.integers(0, 70)
    )
    flags = st.sampled_from(["head_female", "has_phone"]).map(
        lambda name: (name, lambda f: f[name])
    )
    regions = st.lists(st.sampled_from(REGIONS), min_size=1, max_size=2, unique=True).map(
        lambda rs: (
            "region in [" + ", ".join(f"'{r}'" for r in rs) + "]",
            lambda f: f["region"] in rs,
        )
    )
    return st.one_of(simple, flags, regions)


def conditions() -> st.SearchStrategy[tuple[str, Any]]:
    def combine(children: st.SearchStrategy[tuple[str, Any]]) -> st.SearchStrategy[tuple[str, Any]]:
        def join(word: str, left: tuple[str, Any], right: tuple[str, Any]) -> tuple[str, Any]:
            if word == "and":
                return f"({left[0]}) and ({right[0]})", lambda f: left[1](f) and right[1](f)
            return f"({left[0]}) or ({right[0]})", lambda f: left[1](f) or right[1](f)

        negate = children.map(lambda c: (f"not ({c[0]})", lambda f: not c[1](f)))
        return st.one_of(
            st.builds(join, st.sampled_from(["and", "or"]), children, children), negate
        )

    return st.recursive(comparisons(), combine, max_leaves=6)


people = st.lists(
    st.builds(
        Someone,
        age=st.integers(0, 95),
        sex=st.sampled_from("FM"),
        disability=st.booleans(),
        phone=st.booleans(),
    ),
    min_size=1,
    max_size=12,
)
half_steps = st.integers(-20, 20).map(lambda n: n / 2)
INDICATORS = [
    ("size", lambda f: f["size"]),
    ("children_under_5", lambda f: f["children_under_5"]),
    ("elderly", lambda f: f["elderly"]),
    ("head_female", lambda f: 1 if f["head_female"] else 0),
    (
        "(children_under_18 + elderly) / max(working_age, 1)",
        lambda f: (f["children_under_18"] + f["elderly"]) / max(f["working_age"], 1),
    ),
]


@settings(max_examples=300, deadline=None)
@given(
    household=people,
    region=st.sampled_from(REGIONS),
    rules=st.lists(conditions(), min_size=0, max_size=4),
    weights=st.lists(half_steps, min_size=len(INDICATORS), max_size=len(INDICATORS)),
    ml_weight=half_steps,
    intercept=st.integers(0, 80),
    cutoff=st.integers(0, 80),
    registered=st.booleans(),
)
def test_decisions_equal_plain_python(
    household: list[Someone],
    region: str,
    rules: list[tuple[str, Any]],
    weights: list[float],
    ml_weight: float,
    intercept: int,
    cutoff: int,
    registered: bool,
) -> None:
    document = {
        "conditions": [text for text, _ in rules],
        "pmt": {
            "intercept": intercept,
            "cutoff": cutoff,
            "indicators": [
                {"name": f"i{n}", "expression": expr, "weight": w}
                for n, ((expr, _), w) in enumerate(zip(INDICATORS, weights, strict=True))
            ],
            "regional_weights": {"KG-ML": {"i0": ml_weight}},
        },
        "benefit": {"type": "per_member", "amount": 100, "count": "children_under_18", "cap": 500},
    }
    compiled = compile_rules(document)
    members = [
        _Row(TODAY.year - p.age, p.sex, "head" if i == 0 else "child", p.disability, p.phone)
        for i, p in enumerate(household)
    ]
    status = "active" if registered else "pending_verification"
    facts = household_facts(members, f"KG/{region}/{region}-01/{region}-01-01/", status, TODAY)
    outcome = compiled.evaluate(facts)

    expected_fields = reference_fields(household, region)
    region_weights = list(weights)
    if region == "KG-ML":
        region_weights[0] = ml_weight
    score = intercept + sum(
        w * float(value(expected_fields))
        for (_, value), w in zip(INDICATORS, region_weights, strict=True)
    )
    assert [bool(rule.evaluate(facts)) for rule in compiled.conditions] == [
        bool(check(expected_fields)) for _, check in rules
    ]
    assert compiled.score(facts) == round(score, 2)
    if not registered:
        expected = NEEDS_REVIEW
    elif not all(check(expected_fields) for _, check in rules):
        expected = NOT_ELIGIBLE
    elif round(score, 2) >= cutoff:
        expected = NOT_ELIGIBLE
    else:
        expected = ELIGIBLE
    assert outcome.decision == expected
    if expected == ELIGIBLE:
        assert outcome.score == round(score, 2)
        assert outcome.amount == min(100 * expected_fields["children_under_18"], 500)


@dataclass(frozen=True)
class _Row:
    birth_year: int
    sex: str
    relation: str
    disability: bool
    has_phone: bool
    birth_date: None = None
