"""A partner system as the tests play it: its key pair, its token, its signed messages."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.cards.keys import SigningKey, key_id
from registry.db import utcnow
from registry.households.service import HouseholdData, MemberData, register_household
from registry.origin import Channel, Origin
from registry.partners.clients import create_client
from registry.partners.envelope import timestamp
from registry.partners.signing import sign

BASE = "/api/v1/dci"


@dataclass
class Partner:
    client_id: str
    secret: str
    key: SigningKey

    def token(self, client: FlaskClient, scope: str | None = None) -> str:
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        response = client.post(
            f"{BASE}/oauth2/client/token", data=data, auth=(self.client_id, self.secret)
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["access_token"]

    def envelope(self, action: str, message: dict[str, Any], **header: Any) -> dict[str, Any]:
        head = {
            "version": "1.0.0",
            "message_id": str(uuid.uuid4()),
            "message_ts": timestamp(),
            "action": action,
            "sender_id": self.client_id,
            "receiver_id": "kinga",
            "total_count": 1,
            "is_msg_encrypted": False,
            **header,
        }
        return {
            "signature": sign(self.key, self.client_id, head, message),
            "header": head,
            "message": message,
        }

    def post(self, client: FlaskClient, path: str, token: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
        return client.post(f"{BASE}{path}", json=body, headers={"Authorization": f"Bearer {token}"})


def make_partner(
    session: Session,
    *,
    areas: list[str],
    scopes: tuple[str, ...] = ("search", "subscribe"),
    fields: tuple[str, ...] = (
        "household_number",
        "area",
        "registration_date",
        "programs",
        "names",
    ),
    callback_url: str | None = None,
    name: str = "Ministry of Health",
) -> Partner:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    client, secret = create_client(
        session,
        Origin.cli("tests"),
        name=name,
        scopes=scopes,
        area_codes=areas,
        fields=fields,
        purpose="Check enrolment before paying a health subsidy",
        expires_at=utcnow() + timedelta(days=30),
        public_key=base64.urlsafe_b64encode(raw).decode(),
        callback_url=callback_url,
    )
    session.commit()
    return Partner(client.client_id, secret, SigningKey(key_id(private.public_key()), private))


def search_message(query_type: str, query: Any, **criteria: Any) -> dict[str, Any]:
    return {
        "transaction_id": str(uuid.uuid4()),
        "search_request": [
            {
                "reference_id": "ref-1",
                "timestamp": timestamp(),
                "search_criteria": {
                    "version": "1.0.0",
                    "reg_event_type": "REGISTER",
                    "query_type": query_type,
                    "query": query,
                    "response_entity": "Group",
                    **criteria,
                },
                "locale": "eng",
            }
        ],
    }


def expression(**terms: Any) -> dict[str, Any]:
    return {
        "type": "ns:org:QueryType:NoSql",
        "value": {
            "expression": {
                "collection": "Group",
                "query": {"$and": [{k: v} for k, v in terms.items()]},
            }
        },
    }


def household(
    session: Session,
    area_code: str,
    *,
    national_id: str,
    given: str,
    family: str,
    phone: str | None = None,
    consent: bool = True,
):  # type: ignore[no-untyped-def]
    head = MemberData(
        given_name=given,
        family_name=family,
        sex="F",
        birth_year=1981,
        relation="head",
        phone=phone,
        national_id=national_id,
        language="en",
    )
    return register_household(
        session,
        HouseholdData(area_code=area_code, members=[head], consent_given=consent),
        origin=Origin(channel=Channel.FIELD, actor_name="tests"),
    )
