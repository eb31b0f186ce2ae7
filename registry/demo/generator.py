"""Synthetic households and people, generated as plain rows for fast bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from registry.demo.names import FAMILY, FEMALE_GIVEN, MALE_GIVEN
from registry.matching.normalize import skeleton
from registry.numbers import HOUSEHOLD_NUMBER_LENGTH, luhn_check_digit

THIS_YEAR = 2026
SIZE_WEIGHTS = [8, 12, 16, 18, 16, 12, 9, 6, 3]  # household sizes 1..9
LANGUAGE_WEIGHTS = {"sw": 45, "en": 20, "fr": 12, "pt": 11, "ar": 12}
MOBILE_PREFIXES = ("70", "71", "72", "74", "79")


@dataclass
class Batch:
    households: list[dict[str, object]]
    persons: list[dict[str, object]]


class DemoGenerator:
    def __init__(
        self, seed: int, community_ids: list[int], first_household_id: int, first_person_id: int
    ) -> None:
        self.rng = random.Random(seed)
        self.communities = community_ids
        self.next_household_id = first_household_id
        self.next_person_id = first_person_id
        self.numbers: set[str] = set()
        self.languages = list(LANGUAGE_WEIGHTS)
        self.language_weights = list(LANGUAGE_WEIGHTS.values())
        self.now = datetime.now(UTC)

    def _number(self) -> str:
        while True:
            body = str(
                self.rng.randrange(
                    10 ** (HOUSEHOLD_NUMBER_LENGTH - 2), 10 ** (HOUSEHOLD_NUMBER_LENGTH - 1)
                )
            )
            number = body + luhn_check_digit(body)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _phone(self) -> str:
        prefix = self.rng.choice(MOBILE_PREFIXES)
        return f"+254{prefix}{self.rng.randrange(10**7):07d}"

    def _person(
        self,
        household_id: int,
        position: int,
        relation: str,
        sex: str,
        birth_year: int,
        family: str,
        language: str,
        phone: str | None,
    ) -> dict[str, object]:
        rng = self.rng
        given = rng.choice(FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
        exact = rng.random() < 0.55
        birth_date = date(birth_year, rng.randint(1, 12), rng.randint(1, 28)) if exact else None
        adult = THIS_YEAR - birth_year >= 18
        person_id = self.next_person_id
        self.next_person_id += 1
        return {
            "id": person_id,
            "household_id": household_id,
            "position": position,
            "given_name": given,
            "family_name": family,
            "given_key": skeleton(given),
            "family_key": skeleton(family),
            "sex": sex,
            "birth_date": birth_date,
            "birth_year": birth_year,
            "relation": relation,
            "phone": phone,
            "language": language,
            "national_id": f"{rng.randrange(10**7, 10**8)}"
            if adult and rng.random() < 0.6
            else None,
            "disability": rng.random() < 0.04,
            "created_at": self.now,
        }

    def household(self) -> tuple[dict[str, object], list[dict[str, object]]]:
        rng = self.rng
        household_id = self.next_household_id
        self.next_household_id += 1
        size = rng.choices(range(1, 10), SIZE_WEIGHTS)[0]
        language = rng.choices(self.languages, self.language_weights)[0]
        family = rng.choice(FAMILY)
        head_sex = "F" if rng.random() < 0.38 else "M"
        head_year = THIS_YEAR - rng.randint(18, 85)
        head_phone = self._phone() if rng.random() < 0.75 else None
        members = [
            self._person(household_id, 0, "head", head_sex, head_year, family, language, head_phone)
        ]
        for position in range(1, size):
            roll = rng.random()
            if position == 1 and roll < 0.7 and THIS_YEAR - head_year < 75:
                relation, sex = "spouse", "M" if head_sex == "F" else "F"
                year = max(head_year + rng.randint(-8, 8), THIS_YEAR - 90)
                year = min(year, THIS_YEAR - 16)
                phone = (
                    (head_phone if rng.random() < 0.3 else self._phone())
                    if rng.random() < 0.5
                    else None
                )
            elif roll < 0.85:
                relation, sex = "child", rng.choice("FM")
                year = rng.randint(max(head_year + 16, THIS_YEAR - 30), THIS_YEAR)
                phone = self._phone() if THIS_YEAR - year >= 18 and rng.random() < 0.3 else None
            elif roll < 0.93:
                relation, sex = "grandchild", rng.choice("FM")
                year = THIS_YEAR - rng.randint(0, 12)
                phone = None
            else:
                relation, sex = "parent", rng.choice("FM")
                year = max(head_year - rng.randint(18, 35), THIS_YEAR - 100)
                phone = head_phone if rng.random() < 0.5 else None
            members.append(
                self._person(
                    household_id,
                    position,
                    relation,
                    sex,
                    year,
                    family if relation != "parent" else rng.choice(FAMILY),
                    language,
                    phone,
                )
            )
        status_roll = rng.random()
        status = (
            "active"
            if status_roll < 0.85
            else "pending_verification"
            if status_roll < 0.95
            else "inactive"
        )
        channel = rng.choices(("field", "ussd", "sms"), (70, 20, 10))[0]
        created = self.now - timedelta(days=rng.randint(0, 900), seconds=rng.randint(0, 86_399))
        household = {
            "id": household_id,
            "number": self._number(),
            "area_id": rng.choice(self.communities),
            "address": None if rng.random() < 0.5 else f"Plot {rng.randint(1, 999)}",
            "status": status,
            "source_channel": channel,
            "created_by_id": None,
            "verified_by_id": None,
            "verified_at": created if status != "pending_verification" else None,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        return household, members

    def batches(self, count: int, batch_size: int) -> Iterator[Batch]:
        made = 0
        while made < count:
            households: list[dict[str, object]] = []
            persons: list[dict[str, object]] = []
            for _ in range(min(batch_size, count - made)):
                household, members = self.household()
                households.append(household)
                persons.extend(members)
            made += len(households)
            yield Batch(households, persons)
