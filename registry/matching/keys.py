"""Keeps the phonetic name keys of every person current, however the row is written."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from registry.households.models import Person
from registry.matching.normalize import skeleton


def name_keys(given_name: str | None, family_name: str | None) -> dict[str, str]:
    return {"given_key": skeleton(given_name), "family_key": skeleton(family_name)}


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_keys(_mapper: Any, _connection: Any, person: Person) -> None:
    keys = name_keys(person.given_name, person.family_name)
    person.given_key = keys["given_key"]
    person.family_key = keys["family_key"]
