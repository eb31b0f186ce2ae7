"""The payments desk through HTTP: open, approve (maker-checker), export, pay through the fake
Africa's Talking payments API, its callbacks, reconcile upload, and the money picture."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.payments.models import Entitlement, EntitlementStatus, PaymentCycle
from registry.users.roles import Role
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user, region
from tests.jobs import download_result, job_url, run_jobs
from tests.payments.fake_at_payments import FakeAtPayments
from tests.payments.world import cash_world


def _post(client: FlaskClient, path: str, page: str, **data: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def _setup(db_session: Session):  # type: ignore[no-untyped-def]
    world = cash_world(db_session, per_region=3)
    make_user(db_session, {Role.PROGRAM_MANAGER}, ["KG"], username="manager")
    make_user(db_session, {Role.FINANCE_OFFICER}, ["KG"], username="finance")
    make_user(db_session, {Role.FINANCE_OFFICER}, [region(db_session, 1).code], username="farfin")
    make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="field")
    db_session.commit()
    return world


def test_cash_path_through_the_desk(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = _setup(db_session)
    auth.login("field")
    assert client.get("/payments/").status_code == 403
    auth.logout()
    auth.login("manager")
    response = _post(client, "/payments/open", "/payments/", program="CSH", period="2026-03")
    job_url(response)  # generation runs as a job
    run_jobs(client)
    cycle = db_session.scalars(select(PaymentCycle)).one()
    db_session.refresh(cycle)
    page = client.get(f"/payments/cycles/{cycle.id}").get_data(as_text=True)
    assert "9,000" in page and "Approve this cycle" not in page
    # The preparer is refused even by a forged POST.
    _post(client, f"/payments/cycles/{cycle.id}/approve", "/payments/")
    db_session.refresh(cycle)
    assert cycle.status == "draft"
    auth.logout()
    auth.login("farfin")  # a finance officer of one region cannot approve a national cycle
    _post(client, f"/payments/cycles/{cycle.id}/approve", "/payments/")
    db_session.refresh(cycle)
    assert cycle.status == "draft"
    auth.logout()
    auth.login("finance")
    _post(client, f"/payments/cycles/{cycle.id}/approve", f"/payments/cycles/{cycle.id}")
    db_session.refresh(cycle)
    assert cycle.status == "approved"
    # The payment list, written by a job, with its hash in the job's result.
    started = _post(
        client, f"/payments/cycles/{cycle.id}/export", f"/payments/cycles/{cycle.id}", format="csv"
    )
    response = download_result(client, started)
    assert response.status_code == 200
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() in client.get(job_url(started)).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == 6 and rows[0]["phone"].startswith("+2547")
    # Pay through the fake payments API, then its notifications come back.
    for name, value in (("AT_USERNAME", "kinga"), ("AT_API_KEY", "secret-key")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AT_PAYMENT_PRODUCT", "Kinga")
    with FakeAtPayments() as fake:
        monkeypatch.setenv("KINGA_AT_PAYMENTS_API_URL", fake.url)
        _post(client, f"/payments/cycles/{cycle.id}/pay", f"/payments/cycles/{cycle.id}")
        run_jobs(client)
        _post(client, f"/payments/cycles/{cycle.id}/pay", f"/payments/cycles/{cycle.id}")
        run_jobs(client)
        assert fake.payments == 6
        notes = fake.notifications
    assert client.post("/payments/africastalking/guess/b2c", json=notes[0]).status_code == 403
    for note in notes[:3]:
        assert (
            client.post("/payments/africastalking/test-at-token/b2c", json=note).status_code == 200
        )
    paid = db_session.scalars(
        select(Entitlement).where(Entitlement.status == EntitlementStatus.PAID)
    ).all()
    assert len(paid) == 3
    # Reconcile: one bad file refused whole, then a good one.
    refs = [e.reference for e in db_session.scalars(select(Entitlement).order_by(Entitlement.id))]
    bad = f"reference,status,amount,paid_at,provider_reference\n{refs[3]},paid,12x,,\n"
    page = f"/payments/cycles/{cycle.id}"
    response = client.post(
        f"/payments/cycles/{cycle.id}/reconcile",
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(bad.encode()), "r.csv")},
    )
    url = job_url(response)
    run_jobs(client)
    assert "Line 2" in client.get(url).get_data(as_text=True)  # the job failed with the reason
    assert (
        db_session.scalar(
            select(func.count(Entitlement.id)).where(Entitlement.status == EntitlementStatus.FAILED)
        )
        == 0
    )
    good = (
        "reference,status,amount,paid_at,provider_reference\n"
        f"{refs[3]},paid,1500.00,2026-03-04,P4\n{refs[4]},failed,0,,\nNOPE,paid,1,,\n"
    )
    response = client.post(
        f"/payments/cycles/{cycle.id}/reconcile",
        data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(good.encode()), "r.csv")},
    )
    job_url(response)
    run_jobs(client)
    cycle_page = client.get(page).get_data(as_text=True)
    report_link = re.search(r'href="(/payments/cycles/\d+/imports/\d+)"', cycle_page)
    assert report_link is not None
    text = client.get(report_link.group(1)).get_data(as_text=True)
    assert "NOPE" in text
    # The money picture: table, chart and CSV agree to the cent.
    money = client.get("/payments/money?program=CSH&year=2026").get_data(as_text=True)
    assert "<svg" in money and "<script" not in money
    csv_text = client.get("/payments/money.csv?program=CSH&year=2026").get_data(as_text=True)
    lines = list(csv.DictReader(io.StringIO(csv_text)))
    assert sum(Decimal(r["committed"]) for r in lines) == Decimal("9000.00")
    assert sum(Decimal(r["paid"]) for r in lines) == Decimal("6000.00")
    assert sum(Decimal(r["failed"]) for r in lines) == Decimal("1500.00")
    for r in lines:
        assert Decimal(r["committed"]) == Decimal(r["paid"]) + Decimal(r["failed"]) + Decimal(
            r["uncollected"]
        )
    region_code = region(db_session, 0).code
    drill = client.get(f"/payments/money.csv?program=CSH&year=2026&area={region_code}")
    assert sum(
        Decimal(r["committed"]) for r in csv.DictReader(io.StringIO(drill.get_data(as_text=True)))
    ) == Decimal("4500.00")
    adjusted = client.post(
        f"/payments/entitlements/{refs[5]}/adjust",
        data={
            "amount": "-100.00",
            "reason": "Paid twice last month",
            "csrf_token": csrf_token(client, page),
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Paid twice last month" in adjusted
    csv_after = client.get("/payments/money.csv?program=CSH&year=2026").get_data(as_text=True)
    assert sum(Decimal(r["committed"]) for r in csv.DictReader(io.StringIO(csv_after))) == Decimal(
        "8900.00"
    )
    history = client.get(f"/payments/entitlements/{refs[0]}").get_data(as_text=True)
    assert "callback" in history and "submitted" in history
    assert world.program.code == "CSH"
    # A finance officer of another region sees only their region's money and entitlements.
    auth.logout()
    auth.login("farfin")
    own = [
        r
        for r in refs
        if db_session.scalar(select(Entitlement.area_id).where(Entitlement.reference == r))
        in {h.area_id for h in world.households[3:]}
    ]
    foreign = [r for r in refs if r not in own]
    assert client.get(f"/payments/entitlements/{foreign[0]}").status_code == 404
    assert client.get(f"/payments/entitlements/{own[0]}").status_code == 200
    far = client.get("/payments/money.csv?program=CSH&year=2026").get_data(as_text=True)
    assert sum(Decimal(r["committed"]) for r in csv.DictReader(io.StringIO(far))) == Decimal(
        "4400.00"
    )
    assert not re.search(
        foreign[0], client.get(f"/payments/cycles/{cycle.id}").get_data(as_text=True)
    )


def test_payment_grievance_shows_the_payment_history(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    from registry.grievances.service import GrievanceData, lodge_grievance
    from registry.origin import Channel, Origin
    from registry.payments.approval import approve_cycle
    from registry.payments.cycles import generate_entitlements, open_cycle
    from registry.scope import Scope
    from tests.factories import community

    world = _setup(db_session)
    make_user(
        db_session, {Role.GRIEVANCE_OFFICER}, [region(db_session, 0).code], username="officer"
    )
    origin = Origin.system("tests")
    cycle = open_cycle(
        db_session, world.program, "2026-03", area=None, funding_source=None, origin=origin
    )
    generate_entitlements(db_session, cycle, origin=origin)
    from registry.users.models import User

    approver = db_session.scalar(select(User).where(User.username == "finance"))
    assert approver is not None
    approve_cycle(
        db_session,
        cycle,
        approver_id=approver.id,
        roles=approver.roles,
        scope=Scope.unrestricted(),
        origin=origin,
    )
    household = world.households[0]
    phone = household.members[0].phone
    grievance = lodge_grievance(
        db_session,
        GrievanceData(
            category_code="payment_missing",
            text="I was not paid this month",
            area_code=community(db_session, 0).code,
            complainant_phone=phone,
            person_id=None,
            anonymous=False,
            consent_to_contact=True,
            language="en",
        ),
        origin=Origin(channel=Channel.SMS, language="en", phone=phone),
        scope=Scope.unrestricted(),
    )
    db_session.commit()
    auth.login("officer")
    page = client.get(f"/inbox/{grievance.number}").get_data(as_text=True)
    assert "Payments of the complainant" in page
    assert f"C{cycle.id}-{household.number}" in page
