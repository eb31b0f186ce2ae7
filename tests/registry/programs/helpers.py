"""Test households with chosen ages, and a small test program written as a program file."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household
from registry.households.service import (
    HouseholdData,
    MemberData,
    OnDuplicate,
    register_household,
)
from registry.origin import Channel, Origin
from registry.programs.loader import load_program
from registry.programs.models import Program

TODAY = date.today()
ORIGIN = Origin(channel=Channel.WEB, actor_name="tester", language="en")

PROGRAM: dict[str, Any] = {
    "code": "TST",
    "kind": "cash",
    "status": "active",
    "names": {"en": "Test Grant", "fr": "Allocation test", "sw": "Ruzuku ya Majaribio"},
    "currency": "KES",
    "payments_per_year": 12,
    "areas": [],  # filled with the first region
    "budgets": [],
    "payments": [
        {"due": (TODAY + timedelta(days=40)).isoformat()},
        {"due": (TODAY + timedelta(days=10)).isoformat()},
        {"due": (TODAY - timedelta(days=5)).isoformat()},
    ],
    "activate_rules": True,
    "rules": {
        "conditions": ["children_under_5 >= 1"],
        "pmt": {
            "intercept": 50,
            "cutoff": 40,
            "indicators": [{"name": "kids", "expression": "children_under_5", "weight": -6}],
        },
        "benefit": {"type": "per_member", "amount": 100, "count": "children_under_18", "cap": 250},
    },
}


def make_family(
    session: Session,
    area: Area,
    ages: list[int],
    *,
    phone: str | None = "+254712000001",
    language: str = "sw",
    channel: Channel = Channel.FIELD,
) -> Household:
    members = [
        MemberData(
            given_name=f"Person{i}",
            family_name="Test",
            sex="F" if i % 2 == 0 else "M",
            birth_year=TODAY.year - age,
            relation="head" if i == 0 else "child",
            phone=phone if i == 0 else None,
            language=language,
        )
        for i, age in enumerate(ages)
    ]
    return register_household(
        session,
        HouseholdData(area_code=area.code, members=members, consent_given=True),
        origin=Origin(channel=channel, language=language, actor_name="tests"),
        # Look-alike test households on purpose: saved, pairs queued, never refused or held.
        on_duplicate=OnDuplicate.RECORD,
    )


def make_program(session: Session, region: Area, **changes: Any) -> Program:
    data = copy.deepcopy(PROGRAM)
    data["areas"] = [region.code]
    data["budgets"] = [{"area": region.code, "funding_source": "Treasury", "amount": 1000}]
    data.update(changes)
    return load_program(session, data, origin=ORIGIN, today=TODAY).program
