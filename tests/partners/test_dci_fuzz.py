"""Schemathesis over the DCI routes with a real partner token: no 5xx, no trace, and every
answer matches /api/v1/openapi.json (the unauthenticated pass lives in tests/security)."""

from __future__ import annotations

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from schemathesis.checks import positive_data_acceptance
from sqlalchemy.orm import Session

from tests.factories import region
from tests.partners.helpers import make_partner
from tests.security.test_fuzz import FUZZ, TRACE_MARKERS


def test_dci_routes_follow_their_description_with_a_token(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    partner = make_partner(db_session, areas=[region(db_session, 0).code])
    headers = {"Authorization": f"Bearer {partner.token(client)}"}
    app.extensions["kinga_limiter"].enabled = False
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations() if r.ok().path.startswith("/dci/")]
    assert len(operations) == 7
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            assert response.status_code < 500
            # A schema-valid message is still refused when unsigned by the partner's key, which
            # a generator cannot produce; every other check applies.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            assert not any(marker in response.text for marker in TRACE_MARKERS)

        check()
