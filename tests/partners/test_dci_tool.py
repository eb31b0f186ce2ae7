"""The standalone signing tool of docs/interoperability.md makes messages Kinga accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.origin import Origin
from registry.partners.clients import create_client
from tests.factories import region
from tests.partners.helpers import search_message

TOOL = Path(__file__).resolve().parents[2] / "tools" / "dci_envelope.py"


def test_tool_signed_message_is_accepted(
    client: FlaskClient, db_session: Session, tmp_path: Path
) -> None:
    key = tmp_path / "partner.key"
    public = subprocess.run(
        [sys.executable, str(TOOL), "keygen", str(key)], check=True, capture_output=True, text=True
    ).stdout.strip()
    partner, secret = create_client(
        db_session,
        Origin.cli("tests"),
        name="Tool partner",
        scopes=["search"],
        area_codes=[region(db_session, 0).code],
        fields=["household_number"],
        purpose="documentation example",
        expires_at=utcnow() + timedelta(days=1),
        public_key=public,
    )
    db_session.commit()
    message = tmp_path / "message.json"
    message.write_text(
        json.dumps(search_message("idtype-value", {"type": "NATIONAL_ID", "value": "X1"}))
    )
    body = subprocess.run(
        [sys.executable, str(TOOL), "sign", str(key), partner.client_id, "search", str(message)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    token = client.post(
        "/api/v1/dci/oauth2/client/token",
        data={
            "grant_type": "client_credentials",
            "client_id": partner.client_id,
            "client_secret": secret,
        },
    ).get_json()["access_token"]
    response = client.post(
        "/api/v1/dci/registry/sync/search",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["header"]["status"] == "succ"
