"""The isolation matrix and the personal-data canary, as a partner system sees Kinga.

A partner whose agreement covers the first region and grants names but not phone, ID or
birth date asks every DCI question it can about the canary households. The foreign region's
canary never appears; the own region's sensitive values never appear; neither reaches the logs
or the audit log. Guards: the same questions do find the own canary's names, and a partner
granted the sensitive fields does see them, so the test could fail.
"""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.audit.models import AuditEvent
from registry.partners.deliveries import deliver_due
from tests.partners.fake_partner import fake_partner
from tests.partners.helpers import Partner, expression, make_partner, search_message
from tests.security.world import FOREIGN, OWN, World, build_world, leaked

NAMES = ("household_number", "area", "registration_date", "group_size", "programs", "names")
EVERYTHING = (
    *NAMES,
    "sex",
    "birth_year",
    "birth_date",
    "relation",
    "disability",
    "national_id",
    "phone",
)


def _questions(world: World) -> list[tuple[str, object]]:
    questions: list[tuple[str, object]] = []
    for canary, household in ((OWN, world.own), (FOREIGN, world.foreign)):
        questions += [
            ("idtype-value", {"type": "NATIONAL_ID", "value": canary.national_id}),
            ("idtype-value", {"type": "MOBILE", "value": canary.phone}),
            ("idtype-value", {"type": "HOUSEHOLD_NUMBER", "value": household.number}),
            (
                "predicate",
                [
                    {
                        "seq_num": 1,
                        "expression1": {
                            "attribute_name": "national_id",
                            "operator": "in",
                            "attribute_value": [canary.national_id],
                        },
                        "condition": "or",
                        "expression2": {
                            "attribute_name": "phone",
                            "operator": "eq",
                            "attribute_value": canary.phone,
                        },
                    }
                ],
            ),
        ]
    for area in (world.own_region, world.foreign_region):
        questions.append(("expression", expression(area={"$eq": area})))
    questions.append(("expression", expression(registration_date={"$ge": "1990-01-01"})))
    return questions


def _ask_everything(
    client: FlaskClient,
    partner: Partner,
    world: World,
    factory: sessionmaker[Session],
    fake_url: str,
) -> list[str]:
    token = partner.token(client)
    bodies = []
    for query_type, query in _questions(world):
        for path in ("/registry/sync/search", "/registry/search"):
            body = partner.envelope("search", search_message(query_type, query))
            bodies.append(partner.post(client, path, token, body).get_data(as_text=True))
    deliver_due(factory)
    return bodies


@pytest.mark.parametrize("grant", ["names", "everything"])
def test_partner_sees_only_its_areas_and_fields(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    session_factory: sessionmaker[Session],
    grant: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world(db_session)
    with fake_partner() as fake:
        partner = make_partner(
            db_session,
            areas=[world.own_region],
            callback_url=fake.base_url,
            fields=NAMES if grant == "names" else EVERYTHING,
        )
        bodies = _ask_everything(client, partner, world, session_factory, fake.base_url)
        bodies += [json.dumps(body) for _path, body in fake.received]
        assert len(fake.received) == len(_questions(world))  # every async answer arrived
    seen = "\n".join(bodies)
    assert not leaked(seen, FOREIGN.all), "a foreign household reached the partner"
    assert OWN.given_name in seen and OWN.family_name in seen  # guard: the canary can fail
    if grant == "names":
        assert not leaked(seen, OWN.sensitive), "fields outside the agreement"
    else:
        assert OWN.national_id in seen and OWN.phone in seen  # guard
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert not leaked(logs, OWN.all + FOREIGN.all), "personal data in the logs"
    audit = db_session.scalars(select(AuditEvent)).all()
    blob = json.dumps([[e.actor_name, e.target_id, e.details] for e in audit], ensure_ascii=False)
    assert not leaked(blob, OWN.all + FOREIGN.all), "personal data in the audit log"
