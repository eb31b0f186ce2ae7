"""Stand-ins for the forms engine (issue 3), program status (issue 4) and grievances (issue 7),
keeping the agreed contracts, so the USSD menus are tested on their own.

The registration stand-in asks real areas by name in the caller's language, so the longest
real area names go through the USSD pager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from registry.areas.models import Area, AreaLevel
from registry.households.service import HouseholdData, MemberData
from registry.numbers import luhn_check_digit

FIELDS = (
    "head_given_name",
    "head_family_name",
    "head_sex",
    "head_birth_year",
    "region",
    "district",
    "community",
    "household_size",
    "consent",
)
PROMPTS = {
    "head_given_name": "First name of the head of household?",
    "head_family_name": "Family name of the head of household?",
    "head_sex": "Sex of the head of household?",
    "head_birth_year": "Year of birth of the head (4 digits)?",
    "region": "Region?",
    "district": "District?",
    "community": "Community?",
    "household_size": "How many people live in the household?",
    "consent": "We keep these details to decide on support. Do you agree?",
}


@dataclass
class Step:
    done: bool
    field: str | None
    prompt: str
    choices: list[tuple[str, str]]
    error: str | None
    state: dict[str, Any]
    data: dict[str, Any] | None = None


@dataclass
class FakeForms:
    started: int = 0
    answered: list[tuple[str, str]] = field(default_factory=list)

    def registration_form(self) -> tuple[Any, Any]:
        engine = SimpleNamespace(start=self.start, answer=self.answer)
        return "household_registration", engine

    def form_context(self, session: Any, language: str, default_country: str) -> Any:
        return SimpleNamespace(
            session=session, language=language, channel="ussd", default_country=default_country
        )

    def start(self, form: str, ctx: Any, prefill: dict[str, Any] | None = None) -> Step:
        self.started += 1
        return self._step(ctx, {"answers": {}}, None)

    def answer(self, form: str, ctx: Any, state: dict[str, Any], raw: str) -> Step:
        answers = dict(state["answers"])
        name = FIELDS[len(answers)]
        self.answered.append((name, raw))
        choices = self._choices(ctx, name, answers)
        if choices and raw.isdecimal() and 1 <= int(raw) <= len(choices):
            raw = choices[int(raw) - 1][0]  # a position typed on the list, as the engine reads it
        error = None
        if choices and raw not in {value for value, _ in choices}:
            error = "Choose from the list."
        elif name == "head_birth_year" and not (raw.isdigit() and 1900 <= int(raw) <= 2026):
            error = "Give a year such as 1980."
        elif name == "household_size" and not (raw.isdigit() and 1 <= int(raw) <= 30):
            error = "Give a number from 1 to 30."
        elif not raw.strip():
            error = "Please answer."
        if error:
            return self._step(ctx, state, error)
        answers[name] = raw.strip()
        return self._step(ctx, {"answers": answers}, None)

    def _step(self, ctx: Any, state: dict[str, Any], error: str | None) -> Step:
        answers = state["answers"]
        if len(answers) == len(FIELDS):
            clean = dict(answers, head_birth_year=int(answers["head_birth_year"]))
            return Step(True, None, "", [], None, state, clean)
        name = FIELDS[len(answers)]
        return Step(False, name, PROMPTS[name], self._choices(ctx, name, answers), error, state)

    def _choices(self, ctx: Any, name: str, answers: dict[str, str]) -> list[tuple[str, str]]:
        if name == "head_sex":
            return [("F", "Female"), ("M", "Male")]
        if name == "consent":
            return [("yes", "Yes, I agree"), ("no", "No")]
        if name not in ("region", "district", "community"):
            return []
        session = ctx.session
        if name == "region":
            areas = session.scalars(select(Area).where(Area.level == AreaLevel.REGION))
        else:
            parent = answers["region" if name == "district" else "district"]
            parent_id = session.scalar(select(Area.id).where(Area.code == parent))
            areas = session.scalars(select(Area).where(Area.parent_id == parent_id))
        return [(a.code, a.name_in(ctx.language)) for a in sorted(areas, key=lambda a: a.id)]

    @staticmethod
    def to_household_data(clean: dict[str, Any]) -> HouseholdData:
        return HouseholdData(
            area_code=clean["community"],
            members=[
                MemberData(
                    given_name=clean["head_given_name"],
                    family_name=clean["head_family_name"],
                    sex=clean["head_sex"],
                    birth_year=clean["head_birth_year"],
                    relation="head",
                )
            ],
            consent_given=clean["consent"] == "yes",
            extra={"household_size": int(clean["household_size"])},
        )


LONG_PROGRAM = "Cash Transfer for Orphans and Vulnerable Children and Older Persons"
LONG_REASON = "A member is 70 or older and the household has no regular income from work"


def fake_household_status(session: Any, household: Any, language: str) -> Any:
    return SimpleNamespace(
        household_number=household.number,
        registration_status=household.status,
        registration_label=f"[{language}] {household.status}",
        enrollments=[
            SimpleNamespace(
                program_code="CT-OVC",
                program_name=LONG_PROGRAM,
                status="enrolled",
                status_label="Enrolled",
                reason=LONG_REASON,
            ),
            SimpleNamespace(
                program_code="FOOD",
                program_name="Food basket",
                status="waitlisted",
                status_label="Waiting list",
                reason="Places are full in this area this year",
            ),
        ],
        next_payment=SimpleNamespace(
            program_code="CT-OVC",
            due_date=date(2026, 12, 15),
            amount=Decimal("4000.00"),
            currency="KES",
            items=None,
        ),
    )


def tracking_number(body: str = "1234567") -> str:
    return body + luhn_check_digit(body)


@dataclass
class FakeGrievances:
    lodged: list[dict[str, Any]] = field(default_factory=list)

    def list_categories(self, session: Any, language: str) -> list[Any]:
        names = [
            "Payment not received or incomplete",
            "Wrong information about my household",
            "Treatment by staff or agents",
            "Exclusion from a program",
            "Corruption or a request for money",
            "Card lost, damaged or not working",
            "Other problem",
        ]
        return [
            SimpleNamespace(code=f"C{index}", name=f"{name} ({language})")
            for index, name in enumerate(names, start=1)
        ]

    def lodge_grievance(self, session: Any, fields: dict[str, Any], origin: Any) -> str:
        self.lodged.append({**fields, "channel": str(origin.channel)})
        return tracking_number(str(1000000 + len(self.lodged)))

    def track_grievance(self, session: Any, number: str, language: str) -> Any:
        if number != tracking_number():
            return None
        return SimpleNamespace(
            number=number,
            status="in_progress",
            status_label="In progress",
            last_public_reply="We have asked the paying agent to check your payment of March.",
            updated_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
