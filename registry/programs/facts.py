"""The facts a rule may read about one household, computed once per household.

Rules never see rows, names, phones or IDs: only these numbers and codes. Each fact has a
plain-language phrase so that every decision can be explained in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.i18n import N_
from registry.programs.expr import Type


@dataclass(frozen=True)
class Fact:
    name: str
    type: Type
    phrase: str  # msgid with %(value)s; for yes/no facts the phrase when true
    phrase_false: str | None = None


FACTS: tuple[Fact, ...] = (
    Fact("size", Type.NUMBER, N_("household members: %(value)s")),
    Fact("children_under_5", Type.NUMBER, N_("children under 5: %(value)s")),
    Fact("children_under_18", Type.NUMBER, N_("children under 18: %(value)s")),
    Fact("school_age", Type.NUMBER, N_("children aged 6 to 17: %(value)s")),
    Fact("working_age", Type.NUMBER, N_("members aged 18 to 59: %(value)s")),
    Fact("elderly", Type.NUMBER, N_("members aged 60 or more: %(value)s")),
    Fact("disabled", Type.NUMBER, N_("members with a disability: %(value)s")),
    Fact("females", Type.NUMBER, N_("women and girls: %(value)s")),
    Fact("head_age", Type.NUMBER, N_("age of the head of household: %(value)s")),
    Fact(
        "head_female",
        Type.BOOL,
        N_("head of household is a woman"),
        N_("head of household is a man"),
    ),
    Fact(
        "head_disabled",
        Type.BOOL,
        N_("head of household has a disability"),
        N_("head of household has no disability"),
    ),
    Fact(
        "has_phone",
        Type.BOOL,
        N_("household has a phone number"),
        N_("household has no phone number"),
    ),
    Fact("area", Type.TEXT, N_("household lives in %(value)s")),
    Fact("district", Type.TEXT, N_("household lives in %(value)s")),
    Fact("region", Type.TEXT, N_("household lives in %(value)s")),
    Fact("areas", Type.TEXT_LIST, N_("household lives in %(value)s")),
    Fact("registration", Type.TEXT, N_("registration is %(value)s")),
)
FACTS_BY_NAME = {fact.name: fact for fact in FACTS}
FIELD_TYPES: dict[str, Type] = {fact.name: fact.type for fact in FACTS}
AREA_FACTS = frozenset({"area", "district", "region", "areas"})


@dataclass(frozen=True)
class Member:
    """The little a rule needs to know about one person."""

    birth_year: int
    birth_date: date | None
    sex: str
    relation: str
    disability: bool
    has_phone: bool


# One member as a plain tuple, the form the bulk reader produces:
# (birth_year, birth_date as date or "YYYY-MM-DD" or None, sex, relation, disability, has_phone)
MemberRow = tuple[int, "date | str | None", str, str, bool, bool]


def age_on(member: Any, today: date) -> int:
    return _age(member.birth_year, member.birth_date, today.year, f"{today:%m-%d}")


def _age(birth_year: int, birth_date: date | str | None, year: int, today_md: str) -> int:
    if birth_date is None:
        return year - birth_year
    if isinstance(birth_date, str):  # SQLite hands dates over as ISO text
        return year - int(birth_date[:4]) - (today_md < birth_date[5:10])
    return year - birth_date.year - (today_md < f"{birth_date:%m-%d}")


@dataclass(frozen=True)
class Place:
    """The area facts of a household's community, computed once per community."""

    area: str
    district: str
    region: str
    areas: frozenset[str]

    @classmethod
    def of_path(cls, path: str) -> Place:
        codes = [code for code in path.split("/") if code]
        return cls(
            area=codes[-1] if codes else "",
            district=codes[2] if len(codes) > 2 else "",
            region=codes[1] if len(codes) > 1 else "",
            areas=frozenset(codes),
        )


def household_facts(
    members: Iterable[Any], area_path: str, registration: str, today: date
) -> dict[str, Any]:
    """The facts of one household. `members` have the attributes of `Member`; `area_path` is
    'KG/KG-PW/KG-PW-01/KG-PW-01-03/'."""
    rows = [
        (m.birth_year, m.birth_date, m.sex, m.relation, m.disability, m.has_phone) for m in members
    ]
    return facts_from_rows(
        rows, Place.of_path(area_path), registration, today.year, f"{today:%m-%d}"
    )


def facts_from_rows(
    members: Iterable[MemberRow], place: Place, registration: str, year: int, today_md: str
) -> dict[str, Any]:
    """The one computation of household facts (the bulk reader calls it directly)."""
    size = under5 = under18 = school = working = elderly = disabled = females = 0
    head_age, head_female, head_disabled, has_phone = 0, False, False, False
    for birth_year, birth_date, sex, relation, disability, phone in members:
        if birth_date is None:
            age = year - birth_year
        else:
            age = _age(birth_year, birth_date, year, today_md)
        size += 1
        if age < 5:
            under5 += 1
        if age < 18:
            under18 += 1
            if age >= 6:
                school += 1
        elif age < 60:
            working += 1
        else:
            elderly += 1
        if disability:
            disabled += 1
        if sex == "F":
            females += 1
        if phone:
            has_phone = True
        if relation == "head":
            head_age, head_female, head_disabled = age, sex == "F", bool(disability)
    return {
        "size": size,
        "children_under_5": under5,
        "children_under_18": under18,
        "school_age": school,
        "working_age": working,
        "elderly": elderly,
        "disabled": disabled,
        "females": females,
        "head_age": head_age,
        "head_female": head_female,
        "head_disabled": head_disabled,
        "has_phone": has_phone,
        "area": place.area,
        "district": place.district,
        "region": place.region,
        "areas": place.areas,
        "registration": registration,
    }


def fact_phrase_parts(name: str, facts: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """(msgid, params) saying the value of fact `name` for this household."""
    fact = FACTS_BY_NAME[name]
    value = facts[name]
    if fact.type == Type.BOOL:
        return (fact.phrase if value else fact.phrase_false or fact.phrase), {}
    if name == "areas":
        value = facts["area"]
    if name in AREA_FACTS:
        return fact.phrase, {"value": value, "area": value}
    if name == "registration":
        return fact.phrase, {"value": value, "status": value}
    return fact.phrase, {"value": value}
