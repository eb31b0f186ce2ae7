"""From the clean answers of the registration (or verification) form to the registry's data."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.households.models import Relation
from registry.households.service import HouseholdData, MemberData


def to_household_data(clean: dict[str, Any]) -> HouseholdData:
    """HouseholdData for `register_household`; the head first, then the other members."""
    language = clean.get("head_language") or "en"
    family_name = clean["head_family_name"]
    head = MemberData(
        given_name=clean["head_given_name"],
        family_name=family_name,
        sex=clean["head_sex"],
        birth_year=clean["head_birth_year"],
        relation=Relation.HEAD.value,
        phone=clean.get("head_phone") if clean.get("head_has_phone") else None,
        language=language,
        national_id=clean.get("head_national_id") if clean.get("head_has_id") else None,
        disability=bool(clean.get("head_disability")),
    )
    members = [head]
    for entry in clean.get("members") or []:
        members.append(
            MemberData(
                given_name=entry["given_name"],
                family_name=entry.get("family_name") or family_name,
                sex=entry["sex"],
                birth_year=entry["birth_year"],
                relation=entry["relation"],
                birth_date=_date(entry.get("birth_date")),
                language=language,
                disability=bool(entry.get("disability")),
            )
        )
    consent = bool(clean.get("consent"))
    return HouseholdData(
        area_code=clean["area"],
        members=members,
        address=clean.get("address") or None,
        consent_given=consent,
        consent_method=clean.get("consent_method") or "spoken",
    )


def from_household(household: Any) -> dict[str, Any]:
    """The form's answers for an existing household: to pre-fill verification and editing."""
    head = household.head
    others = [m for m in household.members if m.relation != Relation.HEAD.value]
    data: dict[str, Any] = {"area": household.area.code, "address": household.address or None}
    if head is not None:
        data.update(
            head_given_name=head.given_name,
            head_family_name=head.family_name,
            head_sex=head.sex,
            head_birth_year=head.birth_year,
            head_disability=head.disability,
            head_has_phone=bool(head.phone),
            head_phone=head.phone,
            head_language=head.language,
            head_has_id=bool(head.national_id),
            head_national_id=head.national_id,
        )
    data["other_members"] = len(others)
    data["members"] = [
        {
            "given_name": m.given_name,
            "family_name": m.family_name,
            "sex": m.sex,
            "birth_year": m.birth_year,
            "relation": m.relation,
            "disability": m.disability,
        }
        for m in others
    ]
    return data


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None
