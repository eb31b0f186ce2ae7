"""The distribution desk through HTTP: a point, stock received and counted, households told."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.distribution.models import DistributionPoint
from registry.origin import Origin
from registry.outbox.models import OutboxMessage
from registry.payments.approval import approve_cycle
from registry.payments.cycles import generate_entitlements, open_cycle
from registry.scope import Scope
from registry.users.roles import Role
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user, region
from tests.payments.world import cash_world


def test_point_stock_and_goods_ready(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    world = cash_world(db_session, per_region=2, code="FOODW", kind="in_kind")
    origin = Origin.system("tests")
    cycle = open_cycle(
        db_session, world.program, "2026-07", area=None, funding_source=None, origin=origin
    )
    generate_entitlements(db_session, cycle, origin=origin)
    finance = make_user(db_session, {Role.FINANCE_OFFICER}, ["KG"], username="finance")
    approve_cycle(
        db_session,
        cycle,
        approver_id=finance.id,
        roles=finance.roles,
        scope=Scope.unrestricted(),
        origin=origin,
    )
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="field")
    db_session.commit()
    auth.login("finance")
    token = csrf_token(client, "/distribution/")
    area = region(db_session, 0).code
    client.post(
        "/distribution/points",
        data={"code": "pt-9", "name": "Market", "area": area, "csrf_token": token},
    )
    point = db_session.scalars(select(DistributionPoint)).one()
    assert point.code == "PT-9"
    base = f"/distribution/cycles/{cycle.id}/points/{point.id}"
    for kind, qty in (("received", "100"), ("counted", "100")):
        client.post(
            f"{base}/stock",
            data={
                "kind": kind,
                "item": "Maize",
                "unit": "kg",
                "quantity": qty,
                "csrf_token": token,
            },
        )
    bad = client.post(
        f"{base}/stock",
        data={
            "kind": "received",
            "item": "Maize",
            "unit": "kg",
            "quantity": "-3",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "quantity of 0 or more" in bad.get_data(as_text=True)
    client.post(f"{base}/ready", data={"from": "2026-07-04", "csrf_token": token})
    client.post(f"{base}/ready", data={"from": "2026-07-04", "csrf_token": token})  # told once
    messages = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "distribution.ready")
    ).all()
    assert len(messages) == 2 and "Market" in messages[0].body and "2026-07-04" in messages[0].body
    page = client.get(base).get_data(as_text=True)
    assert "Maize" in page and "100" in page
    auth.logout()
    auth.login("field")
    roster = client.get(f"{base}/roster")
    assert roster.status_code == 200 and "roster-data" in roster.get_data(as_text=True)
    assert client.get(base).status_code == 403  # stock and reports are for the office
