"""Enumeration: 10,000 guessed household numbers through USSD status reveal no record and trip
the limits (issue 5's per-phone and per-target budgets, then flask-limiter's per-phone and
per-gateway limits)."""

from __future__ import annotations

import random
import time

from flask import Flask
from sqlalchemy.orm import Session

from registry.numbers import HOUSEHOLD_NUMBER_LENGTH, luhn_check_digit
from tests.security.world import FOREIGN, OWN, build_world, leaked

ENDPOINT = "/ussd/africastalking"
GUESSES = 10_000
PHONES = 40  # an attacker with a drawer of SIM cards


def _number(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(HOUSEHOLD_NUMBER_LENGTH - 1))
    return body + luhn_check_digit(body)


def test_ten_thousand_guesses_reveal_nothing_and_trip_the_limits(
    app: Flask, db_session: Session
) -> None:
    world = build_world(db_session)
    real = {world.own.number, world.foreign.number}
    client = app.test_client()
    rng = random.Random(9)
    answers: dict[str, int] = {}
    seen: set[str] = set()
    started = time.monotonic()
    for i in range(GUESSES):
        # every 50th guess is a real number with a wrong year: knowing a number is not enough
        number = sorted(real)[i % 2] if i % 50 == 0 else _number(rng)
        year = 1900 + rng.randrange(120)
        if number in real and year in (OWN.birth_date.year, FOREIGN.birth_date.year):
            year = 1899 + 2  # never the right one
        phone = f"+2547990{i % PHONES:05d}"
        language = "" if phone in seen else "1*"  # a new phone first picks its language
        seen.add(phone)
        response = client.post(
            ENDPOINT,
            data={
                "sessionId": f"enum-{i}",
                "serviceCode": "*384*123#",
                "phoneNumber": phone,
                "networkCode": "63902",
                "text": f"*384*123*{language}2*{number}*{year}#",
            },
        )
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert not leaked(body, OWN.all + FOREIGN.all)
        assert not any(n in body for n in real), f"guess {i} revealed a household"
        answers[body] = answers.get(body, 0) + 1
    elapsed = time.monotonic() - started
    too_many = [b for b in answers if "Too many tries" in b]
    assert too_many and sum(answers[b] for b in too_many) > GUESSES // 2, answers
    assert all(b.startswith("END ") for b in answers), [b for b in answers if "END" not in b]
    assert len(answers) <= 3, answers  # not found, too many (and a mistyped-number screen)
    # the real owner, calling with the right year, is now held back too (per-target budget)
    owner = client.post(
        ENDPOINT,
        data={
            "sessionId": "owner",
            "serviceCode": "*384*123#",
            "phoneNumber": "+254799888777",
            "networkCode": "63902",
            "text": f"*384*123*1*2*{world.own.number}*{OWN.birth_date.year}#",
        },
    ).get_data(as_text=True)
    assert world.own.number not in owner
    assert elapsed < 600
