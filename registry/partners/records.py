"""A household as a DCI Group record, carrying only the fields an agreement grants."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.households.models import Household, Person
from registry.programs.models import Enrollment, Program

_SEX = {"F": "female", "M": "male"}


def _programs(session: Session, household_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = session.execute(
        select(
            Enrollment.household_id, Program.code, Enrollment.status, Enrollment.status_changed_at
        )
        .join(Program, Program.id == Enrollment.program_id)
        .where(Enrollment.household_id.in_(household_ids))
        .order_by(Program.code)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for household_id, code, status, changed in rows:
        found.setdefault(household_id, []).append(
            {
                "programme_identifier": code,
                "enrolment_status": status,
                "status_change_date": changed.isoformat(),
            }
        )
    return found


def _member(person: Person, fields: frozenset[str]) -> dict[str, Any]:
    member: dict[str, Any] = {"@type": "Member"}
    demographic: dict[str, Any] = {"@type": "SRPerson"}
    if "national_id" in fields and person.national_id:
        identifier = [
            {
                "@type": "Identifier",
                "identifier_type": "NationalID",
                "identifier_value": person.national_id,
            }
        ]
        member["member_identifier"] = identifier
        demographic["identifier"] = identifier
    if "names" in fields:
        demographic["name"] = {
            "@type": "Name",
            "surname": person.family_name,
            "given_name": person.given_name,
        }
    if "sex" in fields:
        demographic["sex"] = _SEX.get(person.sex, "unknown")
    if "birth_date" in fields and person.birth_date is not None:
        demographic["birth_date"] = person.birth_date.isoformat()
    if "birth_year" in fields:
        demographic["birth_year"] = person.birth_year
    if "phone" in fields and person.phone:
        demographic["phone_number"] = person.phone
    if "relation" in fields:
        member["relationship_head"] = person.relation
    if "disability" in fields:
        member["is_disabled"] = bool(person.disability)
    if len(demographic) > 1:
        member["demographic_info"] = demographic
    return member


def group_records(
    session: Session, households: Iterable[Household], fields: Iterable[str]
) -> list[dict[str, Any]]:
    granted = frozenset(fields)
    households = list(households)
    programs = _programs(session, [h.id for h in households]) if "programs" in granted else {}
    records = []
    for household in households:
        record: dict[str, Any] = {"@type": "spdci:Group", "group_type": "household"}
        if "household_number" in granted:
            record["group_identifier"] = [
                {
                    "@type": "Identifier",
                    "identifier_type": "HouseholdNumber",
                    "identifier_value": household.number,
                }
            ]
        if "area" in granted:
            record["place"] = {"@type": "Place", "area_code": household.area.code}
        if "registration_date" in granted:
            record["registration_date"] = household.created_at.isoformat()
            record["last_updated"] = household.updated_at.isoformat()
        if "group_size" in granted:
            record["group_size"] = len(household.members)
        personal = granted & {
            "names",
            "sex",
            "birth_year",
            "birth_date",
            "relation",
            "disability",
            "national_id",
            "phone",
        }
        if personal:
            members = [_member(p, granted) for p in household.members]
            head = household.head
            if head is not None:
                record["group_head_info"] = _member(head, granted)
            record["member_list"] = members
        if "programs" in granted:
            record["programme_identifier"] = programs.get(household.id, [])
        records.append(record)
    return records
