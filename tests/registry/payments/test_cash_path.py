"""The cash path through the services: open, approve, export, pay by mobile money, reconcile."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.demo.areas_data import COUNTRY
from registry.errors import Conflict, Forbidden
from registry.origin import Channel
from registry.payments.approval import add_adjustment, approve_cycle
from registry.payments.cycles import generate_entitlements, open_cycle
from registry.payments.export import export_cycle
from registry.payments.mobile_money import client_from_settings, pay_cycle, record_b2c_notification
from registry.payments.models import CycleStatus, Entitlement, EntitlementStatus, PaymentEvent
from registry.payments.picture import money_picture
from registry.payments.reconcile import ReconciliationFileError, reconcile
from registry.programs.models import Enrollment
from registry.scope import Scope
from registry.settings import Settings
from registry.users.roles import Permission, Role, permissions_of
from registry.users.service import origin_for, scope_of
from tests.factories import make_user
from tests.payments.fake_at_payments import FakeAtPayments
from tests.payments.world import cash_world

EVERYWHERE = Scope.unrestricted()


def _people(session: Session):  # type: ignore[no-untyped-def]
    manager = make_user(session, {Role.PROGRAM_MANAGER}, [COUNTRY["code"]])
    finance = make_user(session, {Role.FINANCE_OFFICER}, [COUNTRY["code"]])
    return manager, finance


def _open(session: Session, world, manager, period: str = "2026-03"):  # type: ignore[no-untyped-def]
    origin = origin_for(manager, Channel.WEB, "en")
    cycle = open_cycle(
        session, world.program, period, area=None, funding_source=None, origin=origin
    )
    generate_entitlements(session, cycle, origin=origin)
    return cycle


def _approve(session: Session, cycle, user, reason: str | None = None):  # type: ignore[no-untyped-def]
    return approve_cycle(
        session,
        cycle,
        approver_id=user.id,
        roles=user.roles,
        scope=scope_of(user),
        origin=origin_for(user, Channel.WEB, "en"),
        override_reason=reason,
    )


def test_snapshot_maker_checker_and_budget(db_session: Session) -> None:
    world = cash_world(db_session, per_region=3, budget=Decimal("4000.00"))
    manager, finance = _people(db_session)
    cycle = _open(db_session, world, manager)
    assert cycle.status == CycleStatus.DRAFT
    assert cycle.households == 6 and cycle.total_amount == Decimal("9000.00")
    # The snapshot does not follow later changes of the enrollment.
    db_session.execute(Enrollment.__table__.update().values(amount=Decimal("99.00")))
    amounts = set(db_session.scalars(select(Entitlement.amount)))
    assert amounts == {Decimal("1500.00")}
    # Maker-checker: the preparer cannot approve, even holding the permission.
    manager.roles = frozenset({Role.PROGRAM_MANAGER, Role.FINANCE_OFFICER})
    with pytest.raises(Forbidden):
        _approve(db_session, cycle, manager)
    # 4500 per region against 4000 of budget: refused without a reason.
    with pytest.raises(Conflict):
        _approve(db_session, cycle, finance)
    assert cycle.status == CycleStatus.DRAFT
    pots = _approve(db_session, cycle, finance, "Drought top-up agreed by the Treasury")
    assert [p.over for p in pots] == [True, True]
    assert cycle.status == CycleStatus.APPROVED
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "payments.cycle_approved")
    )
    assert event is not None and event.details["override_reason"].startswith("Drought")
    assert len(event.details["over_budget"]) == 2
    # A second cycle of the same period and area is refused.
    with pytest.raises(Conflict):
        _open(db_session, world, manager)


def test_within_budget_needs_no_reason_and_counts_earlier_cycles(db_session: Session) -> None:
    world = cash_world(db_session, per_region=2, budget=Decimal("5000.00"))
    manager, finance = _people(db_session)
    first = _open(db_session, world, manager, "2026-01")
    _approve(db_session, first, finance)  # 3000 of 5000 per region
    second = _open(db_session, world, manager, "2026-02")
    with pytest.raises(Conflict):  # 3000 + 3000 > 5000
        _approve(db_session, second, finance)


def _settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, at_username="kinga", at_api_key="k" * 20, at_payment_product="kinga"
    )


def test_cash_path_end_to_end(
    db_session: Session, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = cash_world(db_session, per_region=3)
    manager, finance = _people(db_session)
    cycle = _open(db_session, world, manager)
    _approve(db_session, cycle, finance)
    refs = list(db_session.scalars(select(Entitlement.reference).order_by(Entitlement.id)))
    # one household gets a correction: +200.50
    corrected = db_session.scalar(select(Entitlement).where(Entitlement.reference == refs[0]))
    assert corrected is not None
    add_adjustment(
        db_session,
        corrected,
        Decimal("200.50"),
        "Missed last month",
        origin=origin_for(finance, Channel.WEB, "en"),
    )
    # Export: the contract's columns, and a manifest whose hash is the file's.
    out = tmp_path / "list.csv"
    result = export_cycle(
        db_session,
        cycle,
        "csv",
        out,
        permissions=permissions_of(finance.roles),
        origin=origin_for(finance, Channel.WEB, "en"),
    )
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert {
        "reference",
        "household_number",
        "payee_name",
        "phone",
        "amount",
        "currency",
        "area",
    } <= set(rows[0])
    assert result.total == Decimal("9200.50") and len(rows) == 6
    assert rows[0]["phone"].startswith("+2547")
    manifest = json.loads(result.manifest.read_text())
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    masked = export_cycle(
        db_session,
        cycle,
        "xlsx",
        tmp_path / "list.xlsx",
        permissions=permissions_of({Role.AUDITOR}),
        origin=origin_for(manager, Channel.WEB, "en"),
    )
    assert masked.masked and masked.rows == 6
    # Pay: one number is refused; the first answer is lost, the retry pays nobody twice.
    refused = db_session.scalar(select(Entitlement).where(Entitlement.reference == refs[-1]))
    assert refused is not None
    refused.payee_phone = "+254700000999"
    db_session.flush()
    with FakeAtPayments() as fake:
        monkeypatch.setenv("KINGA_AT_PAYMENTS_API_URL", fake.url)
        client, product = client_from_settings(_settings(settings))
        fake.mode = "lose_answer"
        origin = origin_for(finance, Channel.WEB, "en")
        first = pay_cycle(
            db_session,
            cycle,
            client,
            product,
            origin=origin,
            batch_size=4,
            checkpoint=lambda d, t: None,
        )
        assert first.unanswered == 1 and first.accepted == 0
        assert fake.payments == 4  # the first batch of 4 went through, its answer did not
        fake.mode = "ok"
        second = pay_cycle(
            db_session,
            cycle,
            client,
            product,
            origin=origin,
            batch_size=4,
            checkpoint=lambda d, t: None,
        )
        assert second.unanswered == 0
        third = pay_cycle(
            db_session,
            cycle,
            client,
            product,
            origin=origin,
            batch_size=4,
            checkpoint=lambda d, t: None,
        )
        assert third.submitted == 0  # nothing left to send
        assert fake.payments == 5  # five transfers, one refusal, nobody paid twice
        assert all(v in (Decimal("1500.00"), Decimal("1700.50")) for v in fake.paid.values())
        assert fake.paid[refs[0]] == Decimal("1700.50")
        assert (
            fake.requests[0]["headers"]["Idempotency-Key"]
            == fake.requests[1]["headers"]["Idempotency-Key"]
        )
        notifications = list(fake.notifications)
    statuses = dict(db_session.execute(select(Entitlement.reference, Entitlement.status)).all())
    assert statuses[refs[-1]] == EntitlementStatus.FAILED
    assert sum(s == EntitlementStatus.SENT for s in statuses.values()) == 5
    # The provider's notifications mark payments paid; the same one twice changes nothing.
    for note in notifications[:2]:
        assert record_b2c_notification(db_session, note, origin=origin)
    events = db_session.scalar(select(func.count(PaymentEvent.id)))
    assert record_b2c_notification(db_session, notifications[0], origin=origin)
    assert db_session.scalar(select(func.count(PaymentEvent.id))) == events
    assert not record_b2c_notification(
        db_session, {**notifications[0], "transactionId": "forged"}, origin=origin
    )
    # Reconcile with every kind of bad row.
    ok = [r for r in refs[1:-1]]
    lines = [
        "reference,status,amount,paid_at,provider_reference",
        f"{refs[0]},paid,1700.50,2026-03-05,MP1",
        f"{ok[0]},paid,1500.00,2026-03-05,MP2",
        f"{ok[1]},paid,1000.00,2026-03-05T10:00:00,MP3",  # partly paid: a mismatch
        f"{ok[2]},failed,0,,",
        f"{ok[1]},paid,1500.00,2026-03-05,MP3",  # duplicate row
        "C999-XXXXXX,paid,10.00,2026-03-05,MP9",  # unknown reference
        f"{ok[3]},paid,1600.00,2026-03-06,MP4",  # overpaid: a mismatch
    ]
    data = ("\n".join(lines) + "\n").encode()
    report = reconcile(db_session, cycle, data, filename="results.csv", origin=origin)
    assert (report.matched, report.paid, report.partly_paid, report.failed) == (5, 3, 1, 1)
    assert (report.mismatches, report.unknown, report.duplicates) == (2, 1, 1)
    assert report.unknown_lines == [[7, "C999-XXXXXX"]]
    assert report.duplicate_lines == [[6, ok[1], 4]]
    again = reconcile(db_session, cycle, data, filename="results.csv", origin=origin)
    assert again.already_imported and again.matched == 5
    # Money picture adds up to the cent.
    picture = money_picture(db_session, world.program, year=2026, scope=EVERYWHERE)
    committed = picture.total("committed")
    assert committed == Decimal("9200.50")
    assert picture.total("paid") == Decimal("1700.50") + Decimal("1500.00") + Decimal(
        "1000.00"
    ) + Decimal("1600.00")
    assert picture.total("failed") == Decimal("3000.00")  # refused by the provider + reported
    assert (
        picture.total("paid") + picture.total("failed") + picture.total("uncollected") == committed
    )
    assert picture.total("budget") == Decimal("2000000.00")
    assert all(isinstance(r.paid, Decimal) for r in picture.rows)


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("reference,status,amount,paid_at\nC1-X,paid,1,2026-01-01\n", 1, "provider_reference"),
        (
            "reference,status,amount,paid_at,provider_reference\nC1-X,paid,1.5.0,2026-01-01,A\n",
            2,
            "1.5.0",
        ),
        (
            "reference,status,amount,paid_at,provider_reference\nC1-X,paid,1,2026-01-01,A\nC1-Y,lost,1,,\n",
            3,
            "lost",
        ),
        (
            "reference,status,amount,paid_at,provider_reference\nC1-X,paid,-4,2026-01-01,A\n",
            2,
            "-4",
        ),
        (
            "reference,status,amount,paid_at,provider_reference\nC1-X,paid,4,yesterday,A\n",
            2,
            "yesterday",
        ),
    ],
)
def test_a_malformed_file_is_refused_whole(
    db_session: Session, body: str, line: int, fragment: str
) -> None:
    world = cash_world(db_session, per_region=1)
    manager, finance = _people(db_session)
    cycle = _open(db_session, world, manager)
    _approve(db_session, cycle, finance)
    ref = db_session.scalar(select(Entitlement.reference))
    good_first = body.replace("C1-X", str(ref))
    with pytest.raises(ReconciliationFileError) as caught:
        reconcile(
            db_session,
            cycle,
            good_first.encode(),
            filename="bad.csv",
            origin=origin_for(finance, Channel.WEB, "en"),
        )
    assert caught.value.line == line and fragment in str(caught.value)
    assert db_session.scalar(select(Entitlement.status)) == EntitlementStatus.DUE
    assert not db_session.scalar(select(func.count(PaymentEvent.id)))


def test_scope_hides_other_regions_money(db_session: Session) -> None:
    world = cash_world(db_session, per_region=2)
    manager, finance = _people(db_session)
    cycle = _open(db_session, world, manager)
    _approve(db_session, cycle, finance)
    regional = make_user(
        db_session, {Role.FINANCE_OFFICER}, [world.households[0].area.path.split("/")[1]]
    )
    picture = money_picture(db_session, world.program, year=2026, scope=scope_of(regional))
    assert picture.total("committed") == Decimal("3000.00")
    assert Permission.PAYMENT_APPROVE in permissions_of(regional.roles)
    with pytest.raises(Forbidden):  # a national cycle needs a national approver
        _approve(db_session, _open(db_session, world, manager, "2026-04"), regional)
