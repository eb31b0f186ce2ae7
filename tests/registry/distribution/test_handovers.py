"""Hand-overs synced from phones: idempotent, both facts of a double collection kept, refusals
with a reason, stock balance and discrepancy."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.distribution.models import HandOver
from registry.distribution.service import (
    create_point,
    double_collections,
    record_stock,
    roster,
    stock_report,
    sync_handovers,
)
from registry.origin import Origin
from registry.payments.approval import approve_cycle
from registry.payments.cycles import generate_entitlements, open_cycle
from registry.payments.models import Entitlement, EntitlementStatus
from registry.scope import Scope
from registry.users.roles import Role
from tests.factories import make_user, region
from tests.payments.world import cash_world

EVERYWHERE = Scope.unrestricted()
ORIGIN = Origin.system("tests")


def _setup(session: Session):  # type: ignore[no-untyped-def]
    world = cash_world(session, per_region=2, code="FOODY", kind="in_kind")
    cycle = open_cycle(
        session, world.program, "2026-06", area=None, funding_source=None, origin=ORIGIN
    )
    generate_entitlements(session, cycle, origin=ORIGIN)
    finance = make_user(session, {Role.FINANCE_OFFICER}, ["KG"])
    approve_cycle(
        session, cycle, approver_id=finance.id, roles=finance.roles, scope=EVERYWHERE, origin=ORIGIN
    )
    point = create_point(
        session, "PT-A", "School", region(session, 0), scope=EVERYWHERE, origin=ORIGIN
    )
    return world, cycle, point


def _record(ref: str, client_id: str, **extra: str) -> dict[str, str]:
    return {
        "id": client_id,
        "reference": ref,
        "recipient": "holder",
        "handed_at": "2026-06-02T09:00:00Z",
        **extra,
    }


def test_sync_is_idempotent_and_keeps_both_facts(db_session: Session) -> None:
    world, cycle, point = _setup(db_session)
    rows = roster(db_session, cycle, point, EVERYWHERE, "en")
    assert len(rows) == 2  # the point serves its region only
    assert rows[0]["items"] == [{"item": "Maize", "quantity": 25, "unit": "kg"}]
    assert rows[0]["initials"] == "A. O." and rows[0]["birth_year"] == 1980
    ref = rows[0]["reference"]
    first = sync_handovers(
        db_session,
        point,
        [_record(ref, "device-a-0001")],
        device="a",
        scope=EVERYWHERE,
        origin=ORIGIN,
    )
    assert first.accepted == ["device-a-0001"] and not first.doubles
    again = sync_handovers(
        db_session,
        point,
        [_record(ref, "device-a-0001")],
        device="a",
        scope=EVERYWHERE,
        origin=ORIGIN,
    )
    assert again.known == ["device-a-0001"] and not again.accepted
    other = sync_handovers(
        db_session,
        point,
        [_record(ref, "device-b-0001", recipient="proxy", proxy_name="Juma")],
        device="b",
        scope=EVERYWHERE,
        origin=ORIGIN,
    )
    assert other.doubles == ["device-b-0001"]
    assert db_session.scalar(select(func.count(HandOver.id))) == 2
    report = double_collections(db_session, cycle, EVERYWHERE)
    assert [d.reference for d in report] == [ref]
    entitlement = db_session.scalar(select(Entitlement).where(Entitlement.reference == ref))
    assert entitlement is not None and entitlement.status == EntitlementStatus.COLLECTED
    # Refusals: not on this point's roster, a proxy without a name, no time.
    foreign = db_session.scalar(
        select(Entitlement.reference).where(Entitlement.household_id == world.households[-1].id)
    )
    refused = sync_handovers(
        db_session,
        point,
        [
            _record(str(foreign), "device-a-0002"),
            _record(rows[1]["reference"], "device-a-0003", recipient="proxy"),
            {**_record(rows[1]["reference"], "device-a-0004"), "handed_at": "soon"},
        ],
        device="a",
        scope=EVERYWHERE,
        origin=ORIGIN,
    )
    assert set(refused.refused) == {"device-a-0002", "device-a-0003", "device-a-0004"}
    # A field worker of the other region cannot sync into this point's entitlements.
    far = Scope.of_areas([region(db_session, 1)])
    outside = sync_handovers(
        db_session,
        point,
        [_record(rows[1]["reference"], "device-c-0001")],
        device="c",
        scope=far,
        origin=ORIGIN,
    )
    assert outside.refused
    # Stock: 100 kg received, 50 kg handed out (twice 25), counted 40 -> 10 missing.
    record_stock(
        db_session,
        point,
        cycle,
        kind="received",
        item="Maize",
        unit="kg",
        quantity="100",
        note=None,
        origin=ORIGIN,
    )
    record_stock(
        db_session,
        point,
        cycle,
        kind="counted",
        item="Maize",
        unit="kg",
        quantity="40",
        note=None,
        origin=ORIGIN,
    )
    [line] = stock_report(db_session, cycle, point)
    assert (line.received, line.handed_out, line.balance) == (
        Decimal(100),
        Decimal(50),
        Decimal(50),
    )
    assert line.discrepancy == Decimal(-10)
