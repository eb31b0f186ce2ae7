"""The field web with plain form posts (JavaScript off): register, summary, save once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from registry.households.models import Household, Person
from tests.conftest import csrf_token
from tests.factories import community, make_household, make_user

HEAD = {
    "head_given_name": "Amina",
    "head_family_name": "Wanjiru",
    "head_sex": "F",
    "head_birth_year": "1984",
    "head_disability": "no",
    "head_has_phone": "yes",
    "head_phone": "0722000111",
    "head_language": "sw",
    "head_has_id": "no",
    "address": "Near the well",
    "other_members": "1",
    "members.0.given_name": "Baraka",
    "members.0.family_name": "",
    "members.0.sex": "M",
    "members.0.birth_year": "2012",
    "members.0.relation": "child",
    "members.0.disability": "no",
    "consent": "yes",
    "consent_method": "thumbprint",
}


@pytest.fixture()
def worker(db_session, auth):  # type: ignore[no-untyped-def]
    place = community(db_session, 0, 2)
    make_user(db_session, {"field_worker"}, [place.parent.parent.code], username="fw")
    db_session.commit()
    auth.login("fw")
    return place


def post(client, path, data):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/field/")
    return client.post(path, data={**data, "csrf_token": token})


def test_field_tile_and_search_page(client, worker) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/").get_data(as_text=True)
    assert "/field/" in home
    from tests.conftest import csrf_token

    page = client.post("/field/", data={"q": "nobody", "csrf_token": csrf_token(client, "/field/")})
    assert page.status_code == 200
    assert "No household found." in page.get_data(as_text=True)


def test_register_page_is_light_and_low_literacy(client, worker) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/field/register").get_data(as_text=True)
    assert 'inputmode="numeric"' in page and 'inputmode="tel"' in page
    assert "field-icons.svg#person" in page
    assert page.count('class="screen') == 6 and page.count("screen current") == 1
    assert "<script>" not in page  # the CSP forbids inline scripts


def test_next_checks_only_the_current_screen(client, worker) -> None:  # type: ignore[no-untyped-def]
    reply = post(client, "/field/register", {"step": "0", "go": "next", "head_given_name": "A1"})
    assert reply.status_code == 422
    text = reply.get_data(as_text=True)
    assert "Use letters only." in text and "Please answer this question." in text
    ok = post(client, "/field/register", {**HEAD, "area": worker.code, "step": "0", "go": "next"})
    assert ok.status_code == 200
    assert re.search(r'name="step" value="1"', ok.get_data(as_text=True))


def test_register_end_to_end_without_javascript(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    data = {**HEAD, "area": worker.code, "submission_key": "k" * 24}
    summary = post(client, "/field/register", {**data, "step": "5", "go": "summary"})
    assert summary.status_code == 200
    text = summary.get_data(as_text=True)
    assert "Check the answers" in text and "Baraka" in text and "Thumbprint" in text
    saved = post(client, "/field/register", {**data, "go": "save"})
    assert saved.status_code == 303
    number = saved.headers["Location"].split("/")[-2]
    household = db_session.scalar(select(Household).where(Household.number == number))
    assert household.status == "active"
    assert [m.given_name for m in household.members] == ["Amina", "Baraka"]
    assert household.members[0].phone == "+254722000111"
    assert household.members[1].family_name == "Wanjiru"
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'class="big"' in page and number[:3] in page


def test_the_same_submission_twice_makes_one_household(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    data = {**HEAD, "area": worker.code, "submission_key": "offline-key-0123456789", "go": "save"}
    before = db_session.scalar(select(func.count(Household.id)))
    headers = {"Accept": "application/json"}
    token = csrf_token(client, "/field/")
    first = client.post(
        "/field/register", data={**data, "csrf_token": token, "offline": "1"}, headers=headers
    )
    second = client.post(
        "/field/register", data={**data, "csrf_token": token, "offline": "1"}, headers=headers
    )
    assert first.json["status"] == second.json["status"] == "saved"
    assert first.json["number"] == second.json["number"]
    assert first.json["created"] is True and second.json["created"] is False
    assert db_session.scalar(select(func.count(Household.id))) == before + 1


def test_duplicate_warning_on_save(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    existing = make_household(db_session, worker, phone="+254722000111", family_name="Other")
    db_session.commit()
    data = {**HEAD, "area": worker.code, "submission_key": "dup-key-0123456789abc", "go": "save"}
    warned = post(client, "/field/register", data)
    assert warned.status_code == 409
    assert existing.number[:3] in warned.get_data(as_text=True)
    assert not db_session.scalar(select(Person).where(Person.given_name == "Baraka"))
    confirmed = post(client, "/field/register", {**data, "confirm_duplicates": "1"})
    assert confirmed.status_code == 303


def test_cannot_register_outside_my_areas(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    elsewhere = community(db_session, 1, 0)
    data = {**HEAD, "area": elsewhere.code, "submission_key": "x" * 20, "go": "save"}
    reply = post(client, "/field/register", data)
    assert reply.status_code == 422
    assert "Choose a community from the list." in reply.get_data(as_text=True)


def test_hostile_text_is_escaped(client, worker) -> None:  # type: ignore[no-untyped-def]
    data = {
        **HEAD,
        "area": worker.code,
        "address": "<script>alert(1)</script>",
        "step": "5",
        "go": "summary",
    }
    text = post(client, "/field/register", data).get_data(as_text=True)
    assert "<script>alert(1)" not in text and "&lt;script&gt;" in text


def test_duplicate_candidates_show_score_and_reasons(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    existing = make_household(db_session, worker, phone=None, family_name="Wanjiru", members=1)
    db_session.commit()
    respelt = {**HEAD, "head_given_name": "Aminah", "head_birth_year": "1981"}
    data = {**respelt, "area": worker.code, "submission_key": "ask-key-0123456789abc", "go": "save"}
    token = csrf_token(client, "/field/")
    asked = client.post(
        "/field/register",
        data={**data, "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert asked.status_code == 409 and asked.json["duplicates"] == [existing.number]
    candidate = asked.json["candidates"][0]
    assert candidate["score"] >= 0.5 and "family name" in candidate["agreeing"]
    page = post(client, "/field/register", data).get_data(as_text=True)
    assert "alike" in page and "family name" in page


def test_offline_replay_of_a_duplicate_is_held_for_review(client, worker, db_session) -> None:  # type: ignore[no-untyped-def]
    from registry.households.models import HouseholdStatus
    from registry.matching.models import MatchPair

    existing = make_household(db_session, worker, phone="+254722000111", family_name="Wanjiru")
    db_session.commit()
    data = {**HEAD, "area": worker.code, "submission_key": "held-key-0123456789ab", "go": "save"}
    token = csrf_token(client, "/field/")
    replay = client.post(
        "/field/register",
        data={**data, "csrf_token": token, "offline": "1"},
        headers={"Accept": "application/json"},
    )
    assert replay.json["status"] == "saved" and replay.json["held"] is True
    assert replay.json["duplicates"] == [existing.number]
    held = db_session.scalar(select(Household).where(Household.number == replay.json["number"]))
    assert held.status == HouseholdStatus.HELD
    pair = db_session.scalar(select(MatchPair).where(MatchPair.household_b_id == held.id))
    assert pair is not None and pair.origin == "offline"
