"""Enumeration: 10,000 guessed household numbers through the USSD and SMS status lookups reveal
no record and trip the limits (issue 5's per-phone and per-target budgets, then flask-limiter's
per-phone and per-gateway limits)."""

from __future__ import annotations

import random
import time

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.messaging.models import InboundMessage
from registry.numbers import HOUSEHOLD_NUMBER_LENGTH, luhn_check_digit
from registry.outbox.models import OutboxMessage
from tests.security.world import FOREIGN, OWN, build_world, leaked

ENDPOINT = "/ussd/africastalking/test-at-token"
GUESSES = 5_000  # through each of USSD and SMS: 10,000 in all
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
    # the attack held back the attackers' phones, not the family: the owner still gets through
    owner = client.post(
        ENDPOINT,
        data={
            "sessionId": "owner",
            "serviceCode": "*384*123#",
            "phoneNumber": "+254799888777",
            "networkCode": "63902",
            "text": f"*384*123*1*2*{world.own.number}*{OWN.birth_date.year}#",
        },
    )
    assert owner.status_code == 200 and world.own.number in owner.get_data(as_text=True)
    assert elapsed < 600


def test_sms_status_guesses_reveal_nothing_and_trip_the_limits(
    app: Flask, db_session: Session
) -> None:
    # The gateway budget per hour, not per minute: how many windows pass during the run must
    # not decide the outcome (a loaded machine takes minutes over these 5,000 messages).
    app.config["KINGA_STATUS_LOOKUP_GATEWAY_LIMIT"] = "1000 per hour"
    world = build_world(db_session)
    real = sorted({world.own.number, world.foreign.number})
    client = app.test_client()
    rng = random.Random(11)
    statuses: dict[int, int] = {}
    for i in range(GUESSES):
        number = real[i % 2] if i % 50 == 0 else _number(rng)
        year = 1901 if number in real else 1900 + rng.randrange(120)
        response = client.post(
            "/sms/africastalking/test-at-token/inbound",
            data={
                "id": f"enum-{i}",
                "from": f"+2547991{i % PHONES:05d}",
                "to": "12345",
                "text": f"STATUS {number} {year}",
            },
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code == 200 and response.get_data(as_text=True) == ""
    outcomes = db_session.scalars(select(InboundMessage.outcome)).all()
    assert "status.found" not in outcomes and "status.not_found" in outcomes
    replies = db_session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.template == "sms.reply")
    ).all()
    assert replies, "no status reply was queued at all"
    assert len(replies) < GUESSES // 4, "the limits did not hold the guesses back"
    for body in replies:
        assert not any(n in body for n in real) and not leaked(body, OWN.all + FOREIGN.all)
    assert len(set(replies)) <= 2, set(replies)
