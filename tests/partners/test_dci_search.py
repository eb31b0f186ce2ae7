"""A partner obtains a token and searches, by national ID and by expression, within its
agreement; messages are signed both ways and valid against the DCI standard's schemas."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.origin import Origin
from registry.partners.clients import get_client, set_suspended
from registry.partners.signing import verify_with_jwks
from tests.factories import community, region
from tests.partners.dci_schema import validate_ack, validate_request, validate_sync_response
from tests.partners.helpers import expression, household, make_partner, search_message


def _world(db_session: Session):  # type: ignore[no-untyped-def]
    own = household(
        db_session,
        community(db_session, 0).code,
        national_id="NID10001",
        given="Zawadi",
        family="Mwangaza",
        phone="+254711000111",
    )
    other = household(
        db_session,
        community(db_session, 0).code,
        national_id="NID10002",
        given="Baraka",
        family="Kilima",
    )
    foreign = household(
        db_session,
        community(db_session, 1).code,
        national_id="NID20001",
        given="Foreignname",
        family="Farland",
        phone="+254722000222",
    )
    refused = household(
        db_session,
        community(db_session, 0).code,
        national_id="NID10003",
        given="Nopermit",
        family="Consentless",
        consent=False,
    )
    db_session.commit()
    partner = make_partner(db_session, areas=[region(db_session, 0).code])
    return partner, own, other, foreign, refused


def test_search_by_national_id_signed_and_valid(client: FlaskClient, db_session: Session) -> None:
    partner, own, *_ = _world(db_session)
    token = partner.token(client)
    body = partner.envelope(
        "search", search_message("idtype-value", {"type": "NATIONAL_ID", "value": "NID10001"})
    )
    validate_request(body, "/registry/sync/search")
    response = partner.post(client, "/registry/sync/search", token, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    validate_sync_response(answer, "/registry/sync/search")
    jwks = client.get("/api/v1/dci/.well-known/jwks.json").get_json()
    verify_with_jwks(answer["signature"], answer["header"], answer["message"], jwks)
    item = answer["message"]["search_response"][0]
    assert item["status"] == "succ" and item["pagination"]["total_count"] == 1
    record = item["data"]["reg_records"][0]
    assert record["group_identifier"][0]["identifier_value"] == own.number
    assert record["member_list"][0]["demographic_info"]["name"]["given_name"] == "Zawadi"
    text = json.dumps(answer)
    assert "NID10001" not in text and "+254711000111" not in text  # fields not granted


def test_expression_search_stays_within_areas_and_consent(
    client: FlaskClient, db_session: Session
) -> None:
    partner, own, other, foreign, refused = _world(db_session)
    token = partner.token(client)
    message = search_message(
        "expression",
        expression(registration_date={"$ge": "2000-01-01"}),
        pagination={"page_size": 1, "page_number": 1},
    )
    first = partner.post(
        client, "/registry/sync/search", token, partner.envelope("search", message)
    )
    item = first.get_json()["message"]["search_response"][0]
    assert item["pagination"]["total_count"] == 2
    message["search_request"][0]["search_criteria"]["pagination"]["page_number"] = 2
    second = partner.post(
        client, "/registry/sync/search", token, partner.envelope("search", message)
    )
    numbers = {
        r["group_identifier"][0]["identifier_value"]
        for page in (first, second)
        for r in page.get_json()["message"]["search_response"][0]["data"]["reg_records"]
    }
    assert numbers == {own.number, other.number}
    # the foreign region's household is never found, by area, ID or phone
    for query_type, query in (
        ("expression", expression(area={"$eq": region(db_session, 1).code})),
        ("idtype-value", {"type": "NATIONAL_ID", "value": "NID20001"}),
        ("idtype-value", {"type": "MOBILE", "value": "+254722000222"}),
        ("idtype-value", {"type": "NATIONAL_ID", "value": "NID10003"}),
        (
            "predicate",
            [
                {
                    "seq_num": 1,
                    "expression1": {
                        "attribute_name": "household_number",
                        "operator": "eq",
                        "attribute_value": foreign.number,
                    },
                }
            ],
        ),
    ):
        body = partner.envelope("search", search_message(query_type, query))
        answer = partner.post(client, "/registry/sync/search", token, body).get_json()
        assert answer["message"]["search_response"][0]["pagination"]["total_count"] == 0
        assert "Foreignname" not in json.dumps(answer) and "Consentless" not in json.dumps(answer)


def test_refusals(app: Flask, client: FlaskClient, db_session: Session) -> None:
    partner, *_ = _world(db_session)
    message = search_message("idtype-value", {"type": "NATIONAL_ID", "value": "NID10001"})
    assert client.post("/api/v1/dci/registry/sync/search", json={}).status_code == 401
    token = partner.token(client)
    forged = partner.envelope("search", message)
    forged["message"]["search_request"][0]["search_criteria"]["query"]["value"] = "NID10002"
    response = partner.post(client, "/registry/sync/search", token, forged)
    assert response.status_code == 401
    validate_ack(response.get_json())
    assert response.get_json()["message"]["error"]["code"] == "err.signature.invalid"
    body = partner.envelope("search", message)
    assert partner.post(client, "/registry/sync/search", token, body).status_code == 200
    replay = partner.post(client, "/registry/sync/search", token, body)
    assert replay.status_code == 400  # the same message id twice
    # a token without the scope
    only_search = partner.token(client, scope="search")
    assert (
        partner.post(
            client, "/registry/subscribe", only_search, partner.envelope("subscribe", {})
        ).status_code
        == 403
    )
    # suspension takes effect at once, on tokens already issued
    set_suspended(db_session, Origin.cli(), get_client(db_session, partner.client_id), True)
    db_session.commit()
    again = partner.envelope("search", message)
    assert partner.post(client, "/registry/sync/search", token, again).status_code == 401
    wrong = client.post(
        "/api/v1/dci/oauth2/client/token",
        data={"grant_type": "client_credentials"},
        auth=(partner.client_id, partner.secret),
    )
    assert wrong.status_code in (400, 401)
    actions = [e.action for e in db_session.scalars(select(AuditEvent))]
    assert "partner.search" in actions and "partner.refused" in actions
    searches = [e for e in db_session.scalars(select(AuditEvent)) if e.action == "partner.search"]
    assert searches[0].details["purpose"].startswith("Check enrolment")
    assert "NID10001" not in json.dumps([e.details for e in searches])


def test_txn_status_answers_own_transactions(client: FlaskClient, db_session: Session) -> None:
    partner, *_ = _world(db_session)
    token = partner.token(client)
    message = search_message("idtype-value", {"type": "NATIONAL_ID", "value": "NID10001"})
    partner.post(client, "/registry/sync/search", token, partner.envelope("search", message))
    status_message = {
        "transaction_id": "t-status",
        "txnstatus_request": {
            "reference_id": "r1",
            "txn_type": "search",
            "attribute_type": "reference_id_list",
            "attribute_value": ["ref-1"],
        },
    }
    # A string attribute_value matches two branches of the standard's oneOf, so its own schema
    # admits only the list form; Kinga also accepts transaction_id and correlation_id.
    body = partner.envelope("txn-status", status_message)
    validate_request(body, "/registry/sync/txn/status")
    answer = partner.post(client, "/registry/sync/txn/status", token, body).get_json()
    statuses = answer["message"]["txnstatus_response"]["txn_status"]
    assert [s["status"] for s in statuses] == ["succ"]
